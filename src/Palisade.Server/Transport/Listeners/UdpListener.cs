using System.Net;
using System.Net.Sockets;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Transport.Listeners;

/// <summary>
/// DNS over UDP on one address. A few threads each block on the shared socket (on Linux taking up to 32 waiting
/// datagrams at once, <see cref="DatagramBatch"/>; elsewhere one <c>recvfrom</c> each) and run the pipeline on what
/// they received; an answer the pipeline has at once (a cache hit, a blocked name, an error) is sent from that thread
/// (on Linux with the batch's other such answers, in one <c>sendmmsg</c>) before it receives again, and nothing is
/// allocated for it. A query that has to wait for an upstream
/// goes on asynchronously, so a slow upstream never holds up the next query. Past
/// <see cref="ListenerLimits.MaxConcurrentQueries"/> queries in flight, queries that would have to go upstream are
/// dropped, as a loaded UDP server must (the client retries); those the blocklists or the cache answer still are.
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
        if (OperatingSystem.IsLinux() && _limits.BatchUdp)
        {
            ReceiveBatches();
        }
        else
        {
            ReceiveOneByOne();
        }
    }

    /// <summary>
    /// Linux: datagrams taken and answers sent in batches (<see cref="DatagramBatch"/>). Every datagram of a batch is
    /// dispatched in turn; the answers ready at once are queued in the batch and sent together before the next receive,
    /// those that wait for an upstream are sent on their own when ready.
    /// </summary>
    private void ReceiveBatches()
    {
        var stopping = Stopping;
        var clients = new ClientEndPoints(EndPoint.AddressFamily);
        var slots = new UdpQuerySlot[DatagramBatch.Capacity];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = new UdpQuerySlot(EndPoint.AddressFamily);
        }

        bool added = false;
        var handle = Socket.SafeHandle;
        try
        {
            handle.DangerousAddRef(ref added);
            using var batch = new DatagramBatch(handle);
            while (!stopping.IsCancellationRequested)
            {
                if (!batch.Receive())
                {
                    continue;
                }

                for (int i = 0; i < batch.Count; i++)
                {
                    var datagram = batch.Datagram(i);
                    if (datagram.IsEmpty)
                    {
                        continue;
                    }

                    var slot = slots[i];
                    batch.CopySender(i, slot.Peer);
                    slot.Batch = batch;
                    slot.BatchIndex = i;
                    slots[i] = Dispatch(slot, datagram, clients);
                }

                batch.SendQueued();
            }
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Elsewhere: one <c>recvfrom</c> and one <c>sendto</c> a datagram.</summary>
    private void ReceiveOneByOne()
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

            if (length == 0)
            {
                continue;
            }

            slot = Dispatch(slot, buffer.AsSpan(0, length), clients);
        }
    }

    /// <summary>
    /// Runs the pipeline on <paramref name="datagram"/>, received from <c>slot.Peer</c>, on this thread.
    /// </summary>
    /// <returns>The slot for the next datagram: the same one when the query was answered (or dropped) at once; a new one
    /// when it waits for an upstream, as it then keeps its slot (its context and the address to answer).</returns>
    private UdpQuerySlot Dispatch(UdpQuerySlot slot, ReadOnlySpan<byte> datagram, ClientEndPoints clients)
    {
        slot.Context.Reset(datagram, clients.Get(slot.Peer), DnsTransport.Udp, Aborting);
        slot.Context.Overloaded = _dispatcher.InFlight >= _limits.MaxConcurrentQueries;
        slot.InlineThread = Environment.CurrentManagedThreadId;
        var dispatched = _dispatcher.DispatchAsync(slot.Context, (this, slot), Send);
        slot.InlineThread = 0;
        if (dispatched.IsCompleted)
        {
            dispatched.GetAwaiter().GetResult();
            return slot;
        }

        _ = dispatched.AsTask();
        return new UdpQuerySlot(EndPoint.AddressFamily);
    }

    private static ValueTask SendResponse((UdpListener Listener, UdpQuerySlot Slot) state, ReadOnlyMemory<byte> response)
    {
        var slot = state.Slot;

        // Answered while its receive thread is still dispatching it: queued in the batch, sent with the others. Any
        // other time (after waiting for an upstream, on another thread) the batch has moved on: sent alone.
        if (slot.Batch is { } batch && slot.InlineThread == Environment.CurrentManagedThreadId && batch.TryQueueAnswer(slot.BatchIndex, response.Span))
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            state.Listener.Socket.SendTo(response.Span, SocketFlags.None, slot.Peer);
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
