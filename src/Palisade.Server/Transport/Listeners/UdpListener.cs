using System.Net;
using System.Net.Sockets;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Transport.Listeners;

/// <summary>
/// DNS over UDP on one address. A few threads each block in <c>recvfrom</c> on the shared socket and run the pipeline
/// on the datagram they received; an answer the pipeline has at once (a cache hit, a blocked name, an error) is sent
/// from that thread before it receives again, and nothing is allocated for it. A query that has to wait for an upstream
/// goes on asynchronously, so a slow upstream never holds up the next query. Past
/// <see cref="ListenerLimits.MaxConcurrentQueries"/> queries are dropped, as a loaded UDP server must (the client retries).
/// </summary>
/// <remarks>
/// Blocking receives cost one system call a datagram, where an asynchronous receive also goes through epoll and a
/// thread-pool hand-off; only synchronous socket calls are made, so the socket stays in blocking mode. Stopping shuts
/// the socket's receive side down, which wakes the blocked threads (a receive timeout is the safety net).
/// </remarks>
internal sealed class UdpListener : Listener
{
    /// <summary>Room for the largest datagram; EDNS payload sizes over it do not exist.</summary>
    private const int ReceiveBufferSize = 65535;

    /// <summary>How long a receive blocks before the thread checks whether the listener is stopping.</summary>
    private const int ReceiveTimeoutMilliseconds = 1000;

    private static readonly Func<(UdpListener Listener, UdpQuerySlot Slot), ReadOnlyMemory<byte>, ValueTask> Send = SendResponse;

    private readonly QueryDispatcher _dispatcher;
    private readonly ListenerLimits _limits;
    private readonly List<Thread> _threads = [];

    public UdpListener(IPEndPoint endPoint, QueryDispatcher dispatcher, ListenerLimits limits)
        : base(ListenerSockets.Bind(endPoint, SocketType.Dgram, ProtocolType.Udp))
    {
        // Larger buffers absorb bursts that would otherwise be dropped (the kernel caps them at rmem_max/wmem_max).
        Socket.ReceiveBufferSize = 4 * 1024 * 1024;
        Socket.SendBufferSize = 4 * 1024 * 1024;
        Socket.ReceiveTimeout = ReceiveTimeoutMilliseconds;
        _dispatcher = dispatcher;
        _limits = limits;
    }

    public override void Start()
    {
        int threads = Math.Max(2, Environment.ProcessorCount);
        for (int i = 0; i < threads; i++)
        {
            var thread = new Thread(ReceiveLoop) { IsBackground = true, Name = $"palisade-udp-{EndPoint.Port}-{i}" };
            _threads.Add(thread);
            thread.Start();
        }
    }

    protected override Task StopTakingQueriesAsync()
    {
        try
        {
            // On Linux this wakes every thread blocked in recvfrom (it then returns 0) even on an unconnected socket,
            // although the call itself reports "not connected"; sending goes on, so answers in flight still leave.
            Socket.Shutdown(SocketShutdown.Receive);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        return Task.Run(() => _threads.ForEach(thread => thread.Join()));
    }

    private void ReceiveLoop()
    {
        var stopping = Stopping;
        byte[] buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize, pinned: true);
        var clients = new ClientEndPoints(EndPoint.AddressFamily);
        var slot = new UdpQuerySlot(EndPoint.AddressFamily);
        while (!stopping.IsCancellationRequested)
        {
            int length;
            try
            {
                length = Socket.ReceiveFrom(buffer, SocketFlags.None, slot.Peer);
            }
            catch (SocketException)
            {
                // A receive timeout (the loop checks for stopping), or an ICMP error from an earlier send surfacing here
                // on some systems: neither is a reason to stop serving.
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            if (length == 0 || _dispatcher.InFlight >= _limits.MaxConcurrentQueries)
            {
                continue;
            }

            slot.Context.Reset(buffer.AsSpan(0, length), clients.Get(slot.Peer), DnsTransport.Udp, Aborting);
            var dispatched = _dispatcher.DispatchAsync(slot.Context, (this, slot), Send);
            if (dispatched.IsCompleted)
            {
                dispatched.GetAwaiter().GetResult();
            }
            else
            {
                // The query waits for an upstream and keeps its slot (its context and the address to answer); this
                // thread takes a new one.
                _ = dispatched.AsTask();
                slot = new UdpQuerySlot(EndPoint.AddressFamily);
            }
        }
    }

    private static ValueTask SendResponse((UdpListener Listener, UdpQuerySlot Slot) state, ReadOnlyMemory<byte> response)
    {
        try
        {
            state.Listener.Socket.SendTo(response.Span, SocketFlags.None, state.Slot.Peer);
        }
        catch (SocketException)
        {
            // The client's address may be unreachable; that is its problem, not the server's.
        }
        catch (ObjectDisposedException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
