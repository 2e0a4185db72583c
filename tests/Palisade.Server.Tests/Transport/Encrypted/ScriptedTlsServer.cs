using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Palisade.Server.Transport.Tls;

namespace Palisade.Server.Tests.Transport.Encrypted;

/// <summary>
/// A TLS server on 127.0.0.1 whose every connection is handled by a test's script, with a self-signed certificate for
/// <see cref="Name"/> and 127.0.0.1 (trusted through <see cref="Roots"/>) and the ALPN protocols given.
/// </summary>
internal sealed class ScriptedTlsServer : IAsyncDisposable
{
    public const string Name = "dns.test";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<SslStream, CancellationToken, Task> _script;
    private readonly List<SslApplicationProtocol>? _protocols;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    public ScriptedTlsServer(Func<SslStream, CancellationToken, Task> script, List<SslApplicationProtocol>? protocols = null, X509Certificate2? certificate = null)
    {
        _script = script;
        _protocols = protocols;
        Certificate = certificate ?? SelfSignedCertificate.Create([Name, "127.0.0.1"], TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        Roots = [Certificate];
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>What a client must trust to accept <see cref="Certificate"/>.</summary>
    public X509Certificate2Collection Roots { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>TLS connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Certificate.Dispose();
        _stop.Dispose();
    }

    /// <summary>Reads one length-prefixed DNS message, or null at the end of the stream.</summary>
    public static async Task<byte[]?> ReadMessageAsync(Stream stream, CancellationToken cancellation)
    {
        byte[] prefix = new byte[2];
        try
        {
            await stream.ReadExactlyAsync(prefix, cancellation);
        }
        catch (EndOfStreamException)
        {
            return null;
        }

        byte[] message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(message, cancellation);
        return message;
    }

    public static async Task WriteMessageAsync(Stream stream, byte[] message, CancellationToken cancellation)
    {
        byte[] framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        await stream.WriteAsync(framed, cancellation);
        await stream.FlushAsync(cancellation);
    }

    /// <summary>An answer to <paramref name="query"/>: the same octets with QR set (its question, OPT and padding).</summary>
    public static byte[] AnswerTo(byte[] query)
    {
        byte[] answer = (byte[])query.Clone();
        answer[2] |= 0x80;
        return answer;
    }

    private async Task AcceptAsync()
    {
        var handlers = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            handlers.Add(HandleAsync(socket));
        }

        await Task.WhenAll(handlers);
    }

    private async Task HandleAsync(Socket socket)
    {
        using var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await stream.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions { ServerCertificate = Certificate, ApplicationProtocols = _protocols },
                _stop.Token);
            Interlocked.Increment(ref _connections);
            await _script(stream, _stop.Token);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
        }
    }
}
