using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Tests.Interop;

/// <summary>What a <see cref="FakeUpstream"/> does with each query it receives.</summary>
public enum FakeUpstreamBehavior
{
    /// <summary>Receives and counts the query, never replies.</summary>
    NeverAnswer,

    /// <summary>Replies with a correct answer whose message ID is the query's plus one.</summary>
    WrongId,

    /// <summary>Replies with the query's ID followed by bytes that are not a DNS message (header claims counts it cannot back).</summary>
    Garbage,

    /// <summary>Replies with a correct answer, but sent from another address (<see cref="FakeUpstreamOptions.OtherAddress"/>, 127.0.0.2 by default).</summary>
    AnswerFromOtherAddress,

    /// <summary>Replies with a correct answer from 127.0.0.1 but from another port.</summary>
    AnswerFromOtherPort,

    /// <summary>Replies with a correct answer: for type A, one A record (<see cref="FakeUpstreamOptions.Address"/>); for other types, NOERROR with no records.</summary>
    Answer,

    /// <summary>Like <see cref="Answer"/>, but with the question name lower-cased (an upstream that does not echo DNS 0x20 case).</summary>
    AnswerLowerCase,
}

/// <summary>Settings of a <see cref="FakeUpstream"/>.</summary>
public sealed record FakeUpstreamOptions
{
    /// <summary>The address in A answers.</summary>
    public IPAddress Address { get; init; } = IPAddress.Parse("192.0.2.1");

    /// <summary>The TTL of A answers.</summary>
    public uint Ttl { get; init; } = 300;

    /// <summary>How long to wait before each reply (queries keep being received meanwhile).</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.Zero;

    /// <summary>Where <see cref="FakeUpstreamBehavior.AnswerFromOtherAddress"/> replies from; must be on loopback.</summary>
    public IPAddress OtherAddress { get; init; } = IPAddress.Parse("127.0.0.2");

    /// <summary>
    /// When set, builds the reply to each query (the query's octets in, the reply's out; null sends nothing) in place of the
    /// built-in answer, for every behavior but <see cref="FakeUpstreamBehavior.Garbage"/>.
    /// </summary>
    public Func<byte[], byte[]?>? Reply { get; init; }
}

/// <summary>
/// A UDP "upstream" on 127.0.0.1 at an ephemeral port that misbehaves on purpose (see <see cref="FakeUpstreamBehavior"/>) and
/// counts and keeps the queries it receives. <see cref="Behavior"/> may be changed while it runs. Holds no static state;
/// dispose it to close its sockets and stop its loop (bounded).
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Socket? _otherAddressSocket;
    private readonly Socket _otherPortSocket;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<byte[]> _queries = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<Task, bool> _replies = new();
    private int _behavior;
    private int _queryCount;

    /// <summary>Binds the sockets and starts receiving.</summary>
    public FakeUpstream(FakeUpstreamBehavior behavior = FakeUpstreamBehavior.Answer, FakeUpstreamOptions? options = null)
    {
        Options = options ?? new FakeUpstreamOptions();
        if (!IPAddress.IsLoopback(Options.OtherAddress))
        {
            throw new ArgumentException($"the other address must be on loopback, not {Options.OtherAddress}", nameof(options));
        }

        _behavior = (int)behavior;
        _socket = Bind(IPAddress.Loopback);
        _otherPortSocket = Bind(IPAddress.Loopback);
        if (behavior == FakeUpstreamBehavior.AnswerFromOtherAddress)
        {
            _otherAddressSocket = Bind(Options.OtherAddress);
        }

        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public FakeUpstreamOptions Options { get; }

    /// <summary>127.0.0.1 and the port the fake listens on.</summary>
    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>The <c>--upstream</c> value that points palisade here.</summary>
    public string UdpUpstream => $"udp://127.0.0.1:{Port}";

    /// <summary>What the fake does with the next query. <see cref="FakeUpstreamBehavior.AnswerFromOtherAddress"/> must be chosen at construction.</summary>
    public FakeUpstreamBehavior Behavior
    {
        get => (FakeUpstreamBehavior)Volatile.Read(ref _behavior);
        set
        {
            if (value == FakeUpstreamBehavior.AnswerFromOtherAddress && _otherAddressSocket is null)
            {
                throw new InvalidOperationException("construct the fake with AnswerFromOtherAddress to bind the other address");
            }

            Volatile.Write(ref _behavior, (int)value);
        }
    }

    /// <summary>How many datagrams have arrived.</summary>
    public int QueryCount => Volatile.Read(ref _queryCount);

    /// <summary>The datagrams received so far, in order of arrival.</summary>
    public IReadOnlyList<byte[]> Queries => [.. _queries];

    /// <summary>Waits until at least <paramref name="count"/> queries have arrived; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitForQueriesAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (QueryCount < count)
        {
            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>
    /// The reply a correct upstream gives to <paramref name="query"/>: same ID, QR and RA set, RD copied, the question copied,
    /// and for type A one answer record. Null when the query is too malformed to answer.
    /// </summary>
    public static byte[]? BuildAnswer(ReadOnlySpan<byte> query, IPAddress address, uint ttl)
    {
        ArgumentNullException.ThrowIfNull(address);
        int questionEnd = QuestionEnd(query);
        if (questionEnd < 0)
        {
            return null;
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(query[(questionEnd - 4)..]);
        bool answerA = type == 1 && address.AddressFamily == AddressFamily.InterNetwork;
        var reply = new byte[questionEnd + (answerA ? 16 : 0)];
        query[..questionEnd].CopyTo(reply);

        // Flags: QR, opcode copied, RD copied, RA; RCODE 0.
        reply[2] = (byte)(0x80 | (query[2] & 0x79));
        reply[3] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)(answerA ? 1 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(10), 0);
        if (answerA)
        {
            Span<byte> record = reply.AsSpan(questionEnd);
            record[0] = 0xC0;
            record[1] = 12;
            BinaryPrimitives.WriteUInt16BigEndian(record[2..], 1);
            BinaryPrimitives.WriteUInt16BigEndian(record[4..], 1);
            BinaryPrimitives.WriteUInt32BigEndian(record[6..], ttl);
            BinaryPrimitives.WriteUInt16BigEndian(record[10..], 4);
            address.TryWriteBytes(record[12..], out _);
        }

        return reply;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        _otherPortSocket.Dispose();
        _otherAddressSocket?.Dispose();
        Task all = Task.WhenAll([_loop, .. _replies.Keys]);
        try
        {
            await all.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or TimeoutException)
        {
            // Stopping: the loop and pending replies end by cancellation or closed sockets.
        }

        _stop.Dispose();
    }

    /// <summary>The offset just past the question (header plus QNAME, QTYPE, QCLASS); -1 when malformed or QDCOUNT is not 1.</summary>
    private static int QuestionEnd(ReadOnlySpan<byte> query)
    {
        if (query.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(query[4..]) != 1)
        {
            return -1;
        }

        int at = 12;
        while (at < query.Length)
        {
            int length = query[at];
            if (length == 0)
            {
                at++;
                return at + 4 <= query.Length ? at + 4 : -1;
            }

            if (length > 63)
            {
                return -1;
            }

            at += 1 + length;
        }

        return -1;
    }

    private static Socket Bind(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, 0));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[65535];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // E.g. ICMP port unreachable from an earlier reply; keep serving.
                continue;
            }

            byte[] query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            _queries.Enqueue(query);
            Interlocked.Increment(ref _queryCount);
            FakeUpstreamBehavior behavior = Behavior;
            if (behavior == FakeUpstreamBehavior.NeverAnswer)
            {
                continue;
            }

            Task reply = ReplyAsync(query, behavior, received.RemoteEndPoint);
            _replies[reply] = true;
            _ = reply.ContinueWith(t => _replies.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ReplyAsync(byte[] query, FakeUpstreamBehavior behavior, EndPoint client)
    {
        try
        {
            if (Options.Delay > TimeSpan.Zero)
            {
                await Task.Delay(Options.Delay, _stop.Token);
            }

            byte[]? reply = behavior == FakeUpstreamBehavior.Garbage ? Garbage(query)
                : Options.Reply is { } build ? build(query)
                : BuildAnswer(query, Options.Address, Options.Ttl);
            if (reply is null)
            {
                return;
            }

            Socket from = _socket;
            if (behavior == FakeUpstreamBehavior.AnswerLowerCase)
            {
                for (int at = 12; reply[at] is > 0 and <= 63; at += 1 + reply[at])
                {
                    System.Text.Ascii.ToLowerInPlace(reply.AsSpan(at + 1, reply[at]), out _);
                }
            }
            else if (behavior == FakeUpstreamBehavior.WrongId)
            {
                ushort id = BinaryPrimitives.ReadUInt16BigEndian(reply);
                BinaryPrimitives.WriteUInt16BigEndian(reply, unchecked((ushort)(id + 1)));
            }
            else if (behavior == FakeUpstreamBehavior.AnswerFromOtherAddress)
            {
                from = _otherAddressSocket!;
            }
            else if (behavior == FakeUpstreamBehavior.AnswerFromOtherPort)
            {
                from = _otherPortSocket;
            }

            await from.SendToAsync(reply, SocketFlags.None, client, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopping, or the client went away.
        }
    }

    /// <summary>The query's ID, then a header claiming 1 question and 5 answers, then bytes that are not a name.</summary>
    private static byte[] Garbage(byte[] query)
    {
        var reply = new byte[40];
        if (query.Length >= 2)
        {
            reply[0] = query[0];
            reply[1] = query[1];
        }

        reply[2] = 0x81;
        reply[3] = 0x80;
        reply[5] = 1;
        reply[7] = 5;
        for (int i = 12; i < reply.Length; i++)
        {
            reply[i] = (byte)(0xC0 | (i * 37 % 64));
        }

        return reply;
    }
}
