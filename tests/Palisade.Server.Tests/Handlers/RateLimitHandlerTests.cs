using System.Buffers;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Palisade.Protocol;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.RateLimit;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Tests.Handlers;

public sealed class RateLimitHandlerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Answering _next = new();
    private readonly IQueryHandler _pipeline;

    public RateLimitHandlerTests()
    {
        _pipeline = PipelineBuilder.Build(_next, next => new RateLimitHandler(new RateLimitOptions { QueriesPerSecond = 2, Burst = 3 }, _time, next));
    }

    [Fact]
    public async Task HandleAsync_UnderLimit_PassedOn()
    {
        var result = await AskAsync("192.0.2.1", DnsTransport.Udp);

        Assert.Equal(AnswerSource.Upstream, result.Source);
        Assert.Equal(1, _next.Calls);
        result.Release();
    }

    [Fact]
    public async Task HandleAsync_OverLimitUdp_DroppedThenSlippedInTurn()
    {
        for (int i = 0; i < 3; i++)
        {
            (await AskAsync("192.0.2.1", DnsTransport.Udp)).Release();
        }

        var over = new List<QueryResult>();
        for (int i = 0; i < 6; i++)
        {
            over.Add(await AskAsync("192.0.2.1", DnsTransport.Udp));
        }

        Assert.Equal(3, _next.Calls);
        Assert.Equal([true, false, true, false, true, false], over.Select(r => r.IsDrop));
        Assert.All(over.Where(r => !r.IsDrop), r => Assert.Equal(AnswerSource.RateLimited, r.Source));
        over.ForEach(r => r.Release());
    }

    [Fact]
    public async Task HandleAsync_Slip_EmptyAnswerWithTcAndTheQuestion()
    {
        for (int i = 0; i < 4; i++)
        {
            (await AskAsync("192.0.2.1", DnsTransport.Udp)).Release();
        }

        var result = await AskAsync("192.0.2.1", DnsTransport.Udp, id: 0x4242, name: "WwW.Example.COM");
        var message = DnsMessage.Parse(result.Response);

        Assert.Equal(0x4242, message.Id);
        Assert.True(message.Header.IsResponse);
        Assert.True(message.Header.Truncated);
        Assert.True(message.Header.RecursionDesired);
        Assert.Equal(DnsResponseCode.NoError, result.ResponseCode);
        Assert.Equal(0, result.ResponseCodeHigh);
        Assert.Null(result.ExtendedError);
        Assert.True(Assert.Single(message.Questions).Name.EqualsExact(DnsName.Parse("WwW.Example.COM")));
        Assert.Empty(message.Answers);
        Assert.Empty(message.Authorities);
        Assert.Empty(message.Additionals);
        result.Release();
    }

    [Theory]
    [InlineData(DnsTransport.Tcp)]
    [InlineData(DnsTransport.Tls)]
    [InlineData(DnsTransport.Https)]
    public async Task HandleAsync_StreamTransports_NeverLimitedAndNotCounted(DnsTransport transport)
    {
        for (int i = 0; i < 50; i++)
        {
            var result = await AskAsync("192.0.2.1", transport);
            Assert.Equal(AnswerSource.Upstream, result.Source);
            result.Release();
        }

        // The client's UDP bucket is untouched: its whole burst is still there.
        for (int i = 0; i < 3; i++)
        {
            var result = await AskAsync("192.0.2.1", DnsTransport.Udp);
            Assert.Equal(AnswerSource.Upstream, result.Source);
            result.Release();
        }

        Assert.True((await AskAsync("192.0.2.1", DnsTransport.Udp)).IsDrop);
    }

    [Fact]
    public async Task HandleAsync_OverLimitClientOverTcp_StillAnswered()
    {
        for (int i = 0; i < 10; i++)
        {
            (await AskAsync("192.0.2.1", DnsTransport.Udp)).Release();
        }

        var result = await AskAsync("192.0.2.1", DnsTransport.Tcp);
        Assert.Equal(AnswerSource.Upstream, result.Source);
        result.Release();
    }

    [Fact]
    public async Task HandleAsync_OneClientFlooding_OthersAnswered()
    {
        for (int i = 0; i < 100; i++)
        {
            (await AskAsync("192.0.2.1", DnsTransport.Udp)).Release();
        }

        var other = await AskAsync("192.0.2.2", DnsTransport.Udp);
        var otherV6 = await AskAsync("2001:db8::1", DnsTransport.Udp);

        Assert.Equal(AnswerSource.Upstream, other.Source);
        Assert.Equal(AnswerSource.Upstream, otherV6.Source);
        other.Release();
        otherV6.Release();
    }

    [Fact]
    public async Task HandleAsync_TimePasses_ClientAnsweredAgain()
    {
        for (int i = 0; i < 10; i++)
        {
            (await AskAsync("192.0.2.1", DnsTransport.Udp)).Release();
        }

        _time.Advance(TimeSpan.FromMilliseconds(500));

        // Two queries a second: half a second later, exactly one more is passed on.
        (await AskAsync("192.0.2.1", DnsTransport.Udp)).Release();
        (await AskAsync("192.0.2.1", DnsTransport.Udp)).Release();
        Assert.Equal(4, _next.Calls);
    }

    [Fact]
    public void HandleAsync_AllowedDroppedAndSlipped_AllocateNothing()
    {
        var handler = new RateLimitHandler(new RateLimitOptions { QueriesPerSecond = 1, Burst = 10_000 }, _time, new Dropping());
        var validated = PipelineBuilder.Build(handler);
        var under = Context("192.0.2.1", DnsTransport.Udp, id: 1, name: "example.com");
        var over = Context("192.0.2.2", DnsTransport.Udp, id: 2, name: "example.com");

        // Validation fills each context's question in; then the second client is taken over its limit, so that the
        // timed loop below runs the handler alone: allowed, dropped and slipped in turn.
        Run(validated, under);
        for (int i = 0; i < 10_002; i++)
        {
            Run(validated, over);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5_000; i++)
        {
            Run(handler, under);
            Run(handler, over);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);

        static void Run(IQueryHandler handler, QueryContext context)
        {
            var pending = handler.HandleAsync(context);
            Assert.True(pending.IsCompletedSuccessfully);
            pending.Result.Release();
        }
    }

    [Fact]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        var options = new RateLimitOptions();

        Assert.Equal(300, options.QueriesPerSecond);
        Assert.Equal(600, options.Burst);
        Assert.Equal(32, options.IPv4Prefix);
        Assert.Equal(64, options.IPv6Prefix);
        Assert.True(options.Enabled);
        Assert.False((options with { QueriesPerSecond = 0 }).Enabled);
    }

    private async Task<QueryResult> AskAsync(string client, DnsTransport transport, ushort id = 3, string name = "example.com") =>
        await _pipeline.HandleAsync(Context(client, transport, id, name));

    private static QueryContext Context(string client, DnsTransport transport, ushort id, string name)
    {
        byte[] query = new DnsMessage
        {
            Header = new DnsHeader { Id = id, RecursionDesired = true },
            Questions = { new DnsQuestion(DnsName.Parse(name), DnsRecordType.A) },
        }.ToArray();
        DnsHeader.TryRead(query, out var header);
        return new QueryContext(query, new IPEndPoint(IPAddress.Parse(client), 4000), transport, CancellationToken.None) { Header = header };
    }

    private sealed class Answering : IQueryHandler
    {
        public int Calls { get; private set; }

        public ValueTask<QueryResult> HandleAsync(QueryContext context)
        {
            Calls++;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(context.Query.Length);
            context.Query.Span.CopyTo(buffer);
            buffer[2] |= 0x80;
            return ValueTask.FromResult(QueryResult.FromPooled(buffer, context.Query.Length, AnswerSource.Upstream));
        }
    }

    private sealed class Dropping : IQueryHandler
    {
        public ValueTask<QueryResult> HandleAsync(QueryContext context) => ValueTask.FromResult(QueryResult.Drop);
    }
}
