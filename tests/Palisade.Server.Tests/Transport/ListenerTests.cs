using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Protocol;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Listeners;

namespace Palisade.Server.Tests.Transport;

/// <summary>The listeners, against a real socket on 127.0.0.1 and a hand-written pipeline (UDP batched on Linux).</summary>
public class ListenerTests : IAsyncLifetime
{
    private readonly AnsweringHandler _handler = new();
    private DnsServer? _server;

    private IPEndPoint EndPoint => _server!.EndPoints[0];

    /// <summary>Whether UDP is taken in batches (recvmmsg/sendmmsg) on Linux.</summary>
    protected virtual bool BatchUdp => true;

    public async Task InitializeAsync()
    {
        var limits = new ListenerLimits { TcpIdleTimeout = TimeSpan.FromMilliseconds(700), MaxTcpConnections = 4, BatchUdp = BatchUdp };
        _server = await DnsServer.StartAsync(
            [new IPEndPoint(IPAddress.Loopback, 0)], PipelineBuilder.Build(_handler), limits, TimeProvider.System, NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        await _server!.StopAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Udp_Query_AnsweredWithIdQuestionCaseAndRa()
    {
        byte[] query = Query("WwW.ExAmPlE.CoM", DnsRecordType.A, id: 0x4242);
        var response = DnsMessage.Parse(await UdpExchangeAsync(query));
        Assert.Equal(0x4242, response.Id);
        Assert.True(response.Header.RecursionAvailable);
        Assert.True(response.Questions[0].Name.EqualsExact(DnsName.Parse("WwW.ExAmPlE.CoM")));
        Assert.Single(response.Answers);
    }

    [Fact]
    public async Task Udp_LargeAnswerWithoutEdns_TruncatedWithTc()
    {
        _handler.AnswerCount = 60;
        var response = DnsMessage.Parse(await UdpExchangeAsync(Query("big.example", DnsRecordType.A)));
        Assert.True(response.Header.Truncated);
        Assert.Empty(response.Answers);
        Assert.Single(response.Questions);
        Assert.Null(response.Edns);
    }

    [Fact]
    public async Task Udp_LargeAnswerWithEdns_FitsUpTo1232ThenTruncated()
    {
        _handler.AnswerCount = 40;
        byte[] fits = await UdpExchangeAsync(Query("fits.example", DnsRecordType.A, edns: 4096));
        Assert.True(fits.Length <= 1232);
        Assert.False(DnsMessage.Parse(fits).Header.Truncated);
        Assert.NotNull(DnsMessage.Parse(fits).Edns);

        _handler.AnswerCount = 100;
        var cut = DnsMessage.Parse(await UdpExchangeAsync(Query("big.example", DnsRecordType.A, edns: 4096)));
        Assert.True(cut.Header.Truncated);
        Assert.Equal(DnsConstants.AdvertisedUdpPayloadSize, cut.Edns!.UdpPayloadSize);
    }

    [Fact]
    public async Task Tcp_LargeAnswer_ComesWhole()
    {
        _handler.AnswerCount = 100;
        using var tcp = await ConnectAsync();
        await SendFramedAsync(tcp, Query("big.example", DnsRecordType.A));
        var response = DnsMessage.Parse(await ReceiveFramedAsync(tcp));
        Assert.False(response.Header.Truncated);
        Assert.Equal(100, response.Answers.Count);
    }

    [Fact]
    public async Task Tcp_PipelinedQueries_AnsweredAsEachIsReady()
    {
        // The first query is slow; the second, sent after it on the same connection, must come back first (RFC 7766 s6.2.1.1).
        _handler.SlowName = "slow.example";
        using var tcp = await ConnectAsync();
        await SendFramedAsync(tcp, Query("slow.example", DnsRecordType.A, id: 1));
        await SendFramedAsync(tcp, Query("fast.example", DnsRecordType.A, id: 2));

        var first = DnsMessage.Parse(await ReceiveFramedAsync(tcp));
        _handler.ReleaseSlow.SetResult();
        var second = DnsMessage.Parse(await ReceiveFramedAsync(tcp));

        Assert.Equal(2, first.Id);
        Assert.Equal(1, second.Id);
    }

    [Fact]
    public async Task Tcp_IdleConnection_ClosedAfterTimeout()
    {
        using var tcp = await ConnectAsync();
        var buffer = new byte[1];
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        int received = await tcp.ReceiveAsync(buffer, SocketFlags.None, guard.Token);
        Assert.Equal(0, received);
    }

    [Fact]
    public async Task Tcp_TricklingClient_DisconnectedWithinTheIdleTimeout()
    {
        using var tcp = await ConnectAsync();
        byte[] framed = Framed(Query("trickle.example", DnsRecordType.A));
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        bool closed = false;
        try
        {
            // One octet every 300 ms: the whole message would take far longer than the 700 ms idle timeout.
            foreach (byte b in framed)
            {
                await tcp.SendAsync(new[] { b }, SocketFlags.None, guard.Token);
                await Task.Delay(300, guard.Token);
            }
        }
        catch (SocketException)
        {
            closed = true;
        }

        if (!closed)
        {
            int received = await tcp.ReceiveAsync(new byte[512], SocketFlags.None, guard.Token);
            closed = received == 0;
        }

        Assert.True(closed);
    }

    [Fact]
    public async Task Garbage_NeverAnswered_ServerKeepsServing()
    {
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            await udp.SendToAsync(new byte[] { 1, 2, 3 }, SocketFlags.None, EndPoint);
        }

        using (var tcp = await ConnectAsync())
        {
            await tcp.SendAsync(new byte[] { 0, 3, 1, 2, 3 }, SocketFlags.None);
        }

        Assert.Single(DnsMessage.Parse(await UdpExchangeAsync(Query("after.example", DnsRecordType.A))).Answers);
    }

    [Fact]
    public async Task Tcp_ConnectionCap_ExtraConnectionsClosed()
    {
        var connections = new List<Socket>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                connections.Add(await ConnectAsync());
            }

            await Task.Delay(100);
            using var extra = await ConnectAsync();
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            Assert.Equal(0, await extra.ReceiveAsync(new byte[1], SocketFlags.None, guard.Token));
        }
        finally
        {
            connections.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Udp_OpcodeNotQuery_NotImp()
    {
        byte[] query = Query("example.com", DnsRecordType.A);
        query[2] = (byte)((query[2] & 0x87) | ((int)DnsOpcode.Status << 3));
        var response = DnsMessage.Parse(await UdpExchangeAsync(query));
        Assert.Equal(DnsResponseCode.NotImplemented, response.ResponseCode);
        Assert.Equal(DnsOpcode.Status, response.Header.Opcode);
    }

    [Fact]
    public async Task Udp_NoQuestion_FormErr()
    {
        var response = DnsMessage.Parse(await UdpExchangeAsync(new DnsMessage { Header = new DnsHeader { Id = 9 } }.ToArray()));
        Assert.Equal(DnsResponseCode.FormatError, response.ResponseCode);
        Assert.Equal(9, response.Id);
    }

    [Fact]
    public async Task Udp_TwoQuestions_FormErr()
    {
        var query = new DnsMessage { Questions = { new DnsQuestion(DnsName.Parse("a.example"), DnsRecordType.A), new DnsQuestion(DnsName.Parse("b.example"), DnsRecordType.A) } };
        Assert.Equal(DnsResponseCode.FormatError, DnsMessage.Parse(await UdpExchangeAsync(query.ToArray())).ResponseCode);
    }

    [Fact]
    public async Task Udp_EdnsVersion1_BadVersWithOurOpt()
    {
        var query = new DnsMessage { Questions = { new DnsQuestion(DnsName.Parse("example.com"), DnsRecordType.A) }, Edns = new DnsEdns { Version = 1, DnssecOk = true } };
        var response = DnsMessage.Parse(await UdpExchangeAsync(query.ToArray()));
        Assert.Equal(DnsResponseCode.BadVersion, response.ResponseCode);
        Assert.Equal(0, response.Edns!.Version);
        Assert.True(response.Edns.DnssecOk);
    }

    [Fact]
    public async Task Udp_QueryWithEdns_AnswerCarriesOurOptAndDo()
    {
        var query = new DnsMessage { Questions = { new DnsQuestion(DnsName.Parse("example.com"), DnsRecordType.A) }, Edns = new DnsEdns { UdpPayloadSize = 4096, DnssecOk = true } };
        var response = DnsMessage.Parse(await UdpExchangeAsync(query.ToArray()));
        Assert.Equal(DnsConstants.AdvertisedUdpPayloadSize, response.Edns!.UdpPayloadSize);
        Assert.True(response.Edns.DnssecOk);
    }

    [Fact]
    public async Task Udp_Response_IsNotAnswered()
    {
        byte[] query = Query("example.com", DnsRecordType.A);
        query[2] |= 0x80;
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await udp.ConnectAsync(EndPoint);
        await udp.SendAsync(query, SocketFlags.None);
        using var guard = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await udp.ReceiveAsync(new byte[512], SocketFlags.None, guard.Token));
    }

    [Fact]
    public async Task Udp_TruncatedQuestion_FormErrEchoingId()
    {
        byte[] query = Query("example.com", DnsRecordType.A, id: 0x1111);
        var response = DnsMessage.Parse(await UdpExchangeAsync(query[..^3]));
        Assert.Equal(DnsResponseCode.FormatError, response.ResponseCode);
        Assert.Equal(0x1111, response.Id);
        Assert.Empty(response.Questions);
    }

    [Fact]
    public async Task Udp_ThousandsOfMutatedQueries_ServerStillAnswers()
    {
        // Bounded: 3,000 datagrams, each a valid query with a few octets changed or cut, from a fixed seed.
        var random = new Random(20261126);
        byte[] valid = Query("mutant.example", DnsRecordType.A, edns: 1232);
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            await udp.ConnectAsync(EndPoint);
            for (int i = 0; i < 3000; i++)
            {
                byte[] mutant = (byte[])valid.Clone();
                for (int j = random.Next(1, 4); j > 0; j--)
                {
                    mutant[random.Next(mutant.Length)] = (byte)random.Next(256);
                }

                await udp.SendAsync(mutant.AsMemory(0, random.Next(1, mutant.Length + 1)), SocketFlags.None);
            }
        }

        // The flood may still fill the socket's receive buffer, and UDP drops what does not fit: retry as a client does.
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await client.ConnectAsync(EndPoint);
        byte[] buffer = new byte[4096];
        for (int attempt = 1; ; attempt++)
        {
            await client.SendAsync(Query("after.example", DnsRecordType.A), SocketFlags.None);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                int received = await client.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
                Assert.Single(DnsMessage.Parse(buffer.AsSpan(0, received)).Answers);
                return;
            }
            catch (OperationCanceledException) when (attempt < 5)
            {
            }
        }
    }

    [Fact]
    public async Task Udp_QueriesWaitingWhileOthersAreAnsweredAtOnce_EachAnswerGoesToItsOwnClientAndQuestion()
    {
        // The receive threads answer immediate queries inline and reuse their context for the next datagram; a query
        // that waits must keep its own (its octets and its client's address) until it is answered.
        _handler.SlowName = "slow.example";
        var slowClients = new List<Socket>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                slowClients.Add(client);
                await client.ConnectAsync(EndPoint);
                await client.SendAsync(Query(i == 0 ? "slow.example" : i == 1 ? "SLOW.example" : "sLoW.ExAmPlE", DnsRecordType.A, id: (ushort)(100 + i)), SocketFlags.None);
            }

            for (int i = 0; i < 50; i++)
            {
                var fast = DnsMessage.Parse(await UdpExchangeAsync(Query($"fast-{i}.example", DnsRecordType.A, id: (ushort)(1000 + i))));
                Assert.Equal(1000 + i, fast.Id);
                Assert.Equal(DnsName.Parse($"fast-{i}.example"), fast.Answers[0].Name);
            }

            _handler.ReleaseSlow.SetResult();
            string[] sent = ["slow.example", "SLOW.example", "sLoW.ExAmPlE"];
            for (int i = 0; i < slowClients.Count; i++)
            {
                byte[] buffer = new byte[4096];
                using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                int received = await slowClients[i].ReceiveAsync(buffer, SocketFlags.None, guard.Token);
                var answer = DnsMessage.Parse(buffer.AsSpan(0, received));
                Assert.Equal(100 + i, answer.Id);
                Assert.True(answer.Questions[0].Name.EqualsExact(DnsName.Parse(sent[i])));
                Assert.Equal(DnsName.Parse("slow.example"), answer.Answers[0].Name);
            }
        }
        finally
        {
            slowClients.ForEach(client => client.Dispose());
        }
    }

    [Fact]
    public async Task Udp_BurstFromSeveralClients_EveryAnswerToItsSenderWithItsId()
    {
        // Sent without waiting, so that datagrams queue up and are taken (and answered) several at a time; one of them
        // waits for a while, so a batch also holds a query that is answered later, on its own.
        _handler.SlowName = "slow.example";
        var clients = new List<Socket>();
        try
        {
            for (int c = 0; c < 4; c++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
                clients.Add(client);
                await client.ConnectAsync(EndPoint);
            }

            for (int i = 0; i < 50; i++)
            {
                for (int c = 0; c < clients.Count; c++)
                {
                    string name = c == 2 && i == 10 ? "slow.example" : $"q{i}.c{c}.example";
                    await clients[c].SendAsync(Query(name, DnsRecordType.A, id: (ushort)((c * 1000) + i)), SocketFlags.None);
                }
            }

            for (int c = 0; c < clients.Count; c++)
            {
                var ids = new HashSet<int>();
                int expected = c == 2 ? 49 : 50;
                byte[] buffer = new byte[4096];
                using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                while (ids.Count < expected)
                {
                    int received = await clients[c].ReceiveAsync(buffer, SocketFlags.None, guard.Token);
                    var answer = DnsMessage.Parse(buffer.AsSpan(0, received));
                    int i = answer.Id - (c * 1000);
                    Assert.InRange(i, 0, 49);
                    Assert.Equal(DnsName.Parse($"q{i}.c{c}.example"), answer.Answers.Single().Name);
                    Assert.True(ids.Add(answer.Id));
                }
            }

            _handler.ReleaseSlow.SetResult();
            byte[] slow = new byte[4096];
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            int length = await clients[2].ReceiveAsync(slow, SocketFlags.None, wait.Token);
            Assert.Equal(2010, DnsMessage.Parse(slow.AsSpan(0, length)).Id);
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    private static byte[] Query(string name, DnsRecordType type, ushort id = 7, ushort? edns = null)
    {
        var message = new DnsMessage
        {
            Header = new DnsHeader { Id = id, RecursionDesired = true },
            Questions = { new DnsQuestion(DnsName.Parse(name), type) },
        };
        if (edns is { } size)
        {
            message.Edns = new DnsEdns { UdpPayloadSize = size };
        }

        return message.ToArray();
    }

    private async Task<byte[]> UdpExchangeAsync(byte[] query)
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await udp.ConnectAsync(EndPoint);
        await udp.SendAsync(query, SocketFlags.None);
        var buffer = new byte[65535];
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        int received = await udp.ReceiveAsync(buffer, SocketFlags.None, guard.Token);
        return buffer[..received];
    }

    private async Task<Socket> ConnectAsync()
    {
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(EndPoint);
        return tcp;
    }

    private static byte[] Framed(byte[] message)
    {
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        return framed;
    }

    private static async Task SendFramedAsync(Socket tcp, byte[] message) => await tcp.SendAsync(Framed(message), SocketFlags.None);

    private static async Task<byte[]> ReceiveFramedAsync(Socket tcp)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var prefix = new byte[2];
        await ReceiveExactlyAsync(tcp, prefix, guard.Token);
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await ReceiveExactlyAsync(tcp, message, guard.Token);
        return message;
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> destination, CancellationToken cancellation)
    {
        while (!destination.IsEmpty)
        {
            int received = await socket.ReceiveAsync(destination, SocketFlags.None, cancellation);
            Assert.NotEqual(0, received);
            destination = destination[received..];
        }
    }

    /// <summary>Answers every query with <see cref="AnswerCount"/> A records; one name can be held back until released.</summary>
    private sealed class AnsweringHandler : IQueryHandler
    {
        public int AnswerCount { get; set; } = 1;

        public string? SlowName { get; set; }

        public TaskCompletionSource ReleaseSlow { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<QueryResult> HandleAsync(QueryContext context)
        {
            var name = DnsName.FromWire(context.QuestionName);
            if (SlowName is not null && name == DnsName.Parse(SlowName))
            {
                await ReleaseSlow.Task;
            }

            var query = DnsMessage.Parse(context.Query.Span);
            query.Edns = null;
            var response = DnsResponseFactory.CreateResponse(query);
            for (int i = 0; i < AnswerCount; i++)
            {
                response.Answers.Add(new DnsResourceRecord(name, 60, new ARecordData(new IPAddress([192, 0, 2, (byte)i]))));
            }

            byte[] wire = response.ToArray();
            byte[] buffer = ArrayPool<byte>.Shared.Rent(wire.Length + 32);
            wire.CopyTo(buffer, 0);
            return QueryResult.FromPooled(buffer, wire.Length, AnswerSource.Upstream);
        }
    }
}

/// <summary>The same, with UDP taken and answered one datagram at a time (the path other systems use).</summary>
public sealed class OneByOneUdpListenerTests : ListenerTests
{
    protected override bool BatchUdp => false;
}
