using System.Net;
using System.Net.Sockets;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Transport.Listeners;

/// <summary>
/// DNS over UDP on one address. Several receive loops keep the socket drained; each query is handled on its own, so a
/// slow upstream answer never holds up the next query. Past <see cref="ListenerLimits.MaxConcurrentQueries"/> queries
/// are dropped, as a loaded UDP server must (the client retries).
/// </summary>
internal sealed class UdpListener : Listener
{
    /// <summary>Room for the largest datagram; EDNS payload sizes over it do not exist.</summary>
    private const int ReceiveBufferSize = 65535;

    private readonly QueryDispatcher _dispatcher;
    private readonly ListenerLimits _limits;
    private readonly List<Task> _loops = [];

    public UdpListener(IPEndPoint endPoint, QueryDispatcher dispatcher, ListenerLimits limits)
        : base(ListenerSockets.Bind(endPoint, SocketType.Dgram, ProtocolType.Udp))
    {
        // A larger receive buffer absorbs bursts that would otherwise be dropped (the kernel caps it at rmem_max).
        Socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _dispatcher = dispatcher;
        _limits = limits;
    }

    public override void Start()
    {
        int loops = Math.Max(2, Environment.ProcessorCount);
        for (int i = 0; i < loops; i++)
        {
            _loops.Add(Task.Run(() => ReceiveLoopAsync(Stopping)));
        }
    }

    protected override Task StopTakingQueriesAsync() => Task.WhenAll(_loops);

    private async Task ReceiveLoopAsync(CancellationToken stopping)
    {
        byte[] buffer = new byte[ReceiveBufferSize];
        EndPoint any = new IPEndPoint(EndPoint.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await Socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!stopping.IsCancellationRequested)
            {
                // An ICMP error from an earlier send surfaces here on some systems: not a reason to stop serving.
                continue;
            }
            catch (SocketException)
            {
                return;
            }

            if (_dispatcher.InFlight >= _limits.MaxConcurrentQueries)
            {
                continue;
            }

            byte[] query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            var client = (IPEndPoint)received.RemoteEndPoint;
            _ = _dispatcher.DispatchAsync(query, client, DnsTransport.Udp, (this, client), SendAsync, Aborting).AsTask();
        }
    }

    private static async ValueTask SendAsync((UdpListener Listener, IPEndPoint Client) state, ReadOnlyMemory<byte> response)
    {
        try
        {
            await state.Listener.Socket.SendToAsync(response, SocketFlags.None, state.Client).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // The client's address may be unreachable; that is its problem, not the server's.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
