using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// DNS over TCP to one upstream (RFC 7766): a connection per exchange, each message behind a two-octet length.
/// Used for <c>tcp://</c> upstreams and to retry a UDP answer that came back truncated.
/// </summary>
public sealed class TcpUpstreamTransport(IPEndPoint endPoint) : IUpstreamTransport
{
    public async ValueTask<UpstreamResponse> ExchangeAsync(ReadOnlyMemory<byte> query, CancellationToken cancellation)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        byte[]? buffer = null;
        try
        {
            await socket.ConnectAsync(endPoint, cancellation).ConfigureAwait(false);
            byte[] framed = ArrayPool<byte>.Shared.Rent(query.Length + 2);
            try
            {
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
                query.CopyTo(framed.AsMemory(2));
                await socket.SendAsync(framed.AsMemory(0, query.Length + 2), SocketFlags.None, cancellation).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(framed);
            }

            var prefix = new byte[2];
            while (true)
            {
                await ReceiveExactlyAsync(socket, prefix, cancellation).ConfigureAwait(false);
                int length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
                buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                await ReceiveExactlyAsync(socket, buffer.AsMemory(0, length), cancellation).ConfigureAwait(false);
                if (UpstreamQuery.Matches(query.Span, buffer.AsSpan(0, length)))
                {
                    var response = new UpstreamResponse(buffer, length);
                    buffer = null;
                    return response;
                }

                ArrayPool<byte>.Shared.Return(buffer);
                buffer = null;
            }
        }
        catch (SocketException exception)
        {
            throw new UpstreamException($"{endPoint} over TCP: {exception.Message}", exception);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async ValueTask ReceiveExactlyAsync(Socket socket, Memory<byte> destination, CancellationToken cancellation)
    {
        while (!destination.IsEmpty)
        {
            int received = await socket.ReceiveAsync(destination, SocketFlags.None, cancellation).ConfigureAwait(false);
            if (received == 0)
            {
                throw new UpstreamException($"{endPoint} closed the TCP connection before answering");
            }

            destination = destination[received..];
        }
    }
}
