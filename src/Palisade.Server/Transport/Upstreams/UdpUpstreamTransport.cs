using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// DNS over UDP to one upstream. Every query gets its own socket, so its source port is a fresh one chosen at random by
/// the kernel (RFC 5452 s9.2); the socket is connected, so the kernel drops datagrams from any other address, and
/// datagrams whose ID or question do not match are ignored while waiting (RFC 5452 s9.1).
/// </summary>
public sealed class UdpUpstreamTransport(IPEndPoint endPoint) : IUpstreamTransport
{
    /// <summary>Room for any UDP answer.</summary>
    private const int ReceiveBufferSize = 65535;

    public async ValueTask<UpstreamResponse> ExchangeAsync(ReadOnlyMemory<byte> query, CancellationToken cancellation)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        try
        {
            await socket.ConnectAsync(endPoint, cancellation).ConfigureAwait(false);
            await socket.SendAsync(query, SocketFlags.None, cancellation).ConfigureAwait(false);
            while (true)
            {
                int received;
                try
                {
                    received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
                }
                catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                {
                    // ICMP port unreachable: nothing listens there.
                    throw new UpstreamException($"{endPoint} refused the query (ICMP port unreachable)", exception);
                }

                if (UpstreamQuery.Matches(query.Span, buffer.AsSpan(0, received)))
                {
                    var response = new UpstreamResponse(buffer, received);
                    buffer = null!;
                    return response;
                }
            }
        }
        catch (SocketException exception)
        {
            throw new UpstreamException($"{endPoint}: {exception.Message}", exception);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
