using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Tests.Interop;

/// <summary>The fault-injecting fake upstream does what each behavior promises.</summary>
[Trait("Category", "Interop")]
public sealed class FakeUpstreamTests
{
    private static readonly TimeSpan ShortWait = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData(DigTool.Dig)]
    [InlineData(DigTool.Kdig)]
    public async Task Answer_QueryFromDig_ReturnsConfiguredARecord(DigTool tool)
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions { Address = IPAddress.Parse("192.0.2.77"), Ttl = 42 });

        DigAnswer answer = await new DigClient(tool, IPAddress.Loopback, upstream.Port).QueryAsync("Some.Name.test.", "A");

        Assert.Equal("NOERROR", answer.Status);
        DigRecord record = Assert.Single(answer.Answer);
        Assert.Equal(("some.name.test.", 42u, "A", "192.0.2.77"), (record.Name.ToLowerInvariant(), record.Ttl, record.Type, record.Data));
        Assert.Equal(1, upstream.QueryCount);
    }

    [Fact]
    public async Task Answer_NonAQuery_ReturnsNoData()
    {
        await using var upstream = new FakeUpstream();

        DigAnswer answer = await new DigClient(DigTool.Dig, IPAddress.Loopback, upstream.Port).QueryAsync("x.test.", "AAAA");

        Assert.Equal("NOERROR", answer.Status);
        Assert.Empty(answer.Answer);
    }

    [Fact]
    public async Task NeverAnswer_Query_CountsAndStaysSilent()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.NeverAnswer);
        using var client = Client();

        byte[] query = Query(0x1234);
        await client.SendAsync(query, upstream.EndPoint);

        Assert.Null(await ReceiveAsync(client, ShortWait));
        Assert.True(await upstream.WaitForQueriesAsync(1, LongWait));
        Assert.Equal(query, Assert.Single(upstream.Queries));
    }

    [Fact]
    public async Task WrongId_Query_RepliesWithAnotherId()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.WrongId);
        using var client = Client();

        await client.SendAsync(Query(0x1234), upstream.EndPoint);
        UdpReceiveResult? reply = await ReceiveAsync(client, LongWait);

        Assert.NotNull(reply);
        Assert.Equal(0x1235, BinaryPrimitives.ReadUInt16BigEndian(reply.Value.Buffer));
        Assert.Equal(upstream.EndPoint, reply.Value.RemoteEndPoint);
    }

    [Fact]
    public async Task Garbage_Query_RepliesWithSameIdButNoParseableMessage()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.Garbage);
        using var client = Client();

        await client.SendAsync(Query(0x4321), upstream.EndPoint);
        UdpReceiveResult? reply = await ReceiveAsync(client, LongWait);

        Assert.NotNull(reply);
        Assert.Equal(0x4321, BinaryPrimitives.ReadUInt16BigEndian(reply.Value.Buffer));
        Assert.NotEqual(FakeUpstream.BuildAnswer(Query(0x4321), IPAddress.Parse("192.0.2.1"), 300), reply.Value.Buffer);
    }

    [Fact]
    public async Task AnswerFromOtherAddress_Query_RepliesFrom127002()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.AnswerFromOtherAddress);
        using var client = Client();

        await client.SendAsync(Query(7), upstream.EndPoint);
        UdpReceiveResult? reply = await ReceiveAsync(client, LongWait);

        Assert.NotNull(reply);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), reply.Value.RemoteEndPoint.Address);
        Assert.Equal(7, BinaryPrimitives.ReadUInt16BigEndian(reply.Value.Buffer));
    }

    [Fact]
    public async Task AnswerFromOtherPort_Query_RepliesFromAnotherPort()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.AnswerFromOtherPort);
        using var client = Client();

        await client.SendAsync(Query(7), upstream.EndPoint);
        UdpReceiveResult? reply = await ReceiveAsync(client, LongWait);

        Assert.NotNull(reply);
        Assert.Equal(IPAddress.Loopback, reply.Value.RemoteEndPoint.Address);
        Assert.NotEqual(upstream.Port, reply.Value.RemoteEndPoint.Port);
    }

    [Fact]
    public async Task Answer_WithDelay_RepliesAfterDelayAndKeepsReceiving()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions { Delay = TimeSpan.FromMilliseconds(500) });
        using var client = Client();

        var sent = System.Diagnostics.Stopwatch.StartNew();
        await client.SendAsync(Query(1), upstream.EndPoint);
        await client.SendAsync(Query(2), upstream.EndPoint);

        // Only lower bounds on time: a loaded machine may be slow, never early.
        Assert.True(await upstream.WaitForQueriesAsync(2, ShortWait));
        Assert.NotNull(await ReceiveAsync(client, LongWait));
        Assert.True(sent.Elapsed >= TimeSpan.FromMilliseconds(450), $"replied after {sent.Elapsed}");
        Assert.NotNull(await ReceiveAsync(client, LongWait));
    }

    [Fact]
    public async Task Behavior_ChangedWhileRunning_AppliesToNextQuery()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.NeverAnswer);
        using var client = Client();
        await client.SendAsync(Query(1), upstream.EndPoint);
        Assert.True(await upstream.WaitForQueriesAsync(1, LongWait));

        upstream.Behavior = FakeUpstreamBehavior.Answer;
        await client.SendAsync(Query(2), upstream.EndPoint);
        UdpReceiveResult? reply = await ReceiveAsync(client, LongWait);

        Assert.NotNull(reply);
        Assert.Equal(2, BinaryPrimitives.ReadUInt16BigEndian(reply.Value.Buffer));
        Assert.Equal(2, upstream.QueryCount);
    }

    private static UdpClient Client() => new(new IPEndPoint(IPAddress.Loopback, 0));

    private static async Task<UdpReceiveResult?> ReceiveAsync(UdpClient client, TimeSpan timeout)
    {
        using var bound = new CancellationTokenSource(timeout);
        try
        {
            return await client.ReceiveAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>A query for a.test. A with RD set.</summary>
    private static byte[] Query(ushort id)
    {
        byte[] query = [0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0, 0, 1, 0, 1];
        BinaryPrimitives.WriteUInt16BigEndian(query, id);
        return query;
    }
}
