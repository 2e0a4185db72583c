namespace Palisade.Server.Transport.Tls;

/// <summary>
/// The fatal <c>unrecognized_name</c> alert (RFC 6066 s3; always fatal in TLS 1.3, RFC 8446 s6.2), written by hand.
/// SslStream picks the certificate in its options callback before OpenSSL has seen the ClientHello, and a callback that
/// throws ends the handshake with no alert at all: the client sees the connection closed (or reset) and cannot tell a
/// wrong name from a broken server. No ServerHello has been sent yet, so nothing is encrypted and the alert is one
/// plaintext record, exactly what OpenSSL itself sends for an unknown name: type 21 (alert), legacy version 3.3 (RFC 8446
/// s5.1), length 2, level 2 (fatal), description 112.
/// </summary>
public static class TlsAlert
{
    private static readonly byte[] UnrecognizedNameRecord = [21, 3, 3, 0, 2, 2, 112];

    /// <summary>The whole record, ready to be written to the connection under the TLS layer.</summary>
    public static ReadOnlyMemory<byte> UnrecognizedName => UnrecognizedNameRecord;

    /// <summary>
    /// Writes the alert on <paramref name="connection"/> (the stream under the TLS layer), bounded by
    /// <paramref name="cancellation"/>. A client that has gone already is no error: it would not have read the alert.
    /// </summary>
    public static async Task SendUnrecognizedNameAsync(Stream connection, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            await connection.WriteAsync(UnrecognizedNameRecord, cancellation).ConfigureAwait(false);
            await connection.FlushAsync(cancellation).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
        }
    }
}
