using System.Buffers;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Palisade.Protocol;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.Caching;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Tests.Handlers;

public sealed class CacheHandlerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedHandler _upstream = new();
    private readonly IQueryHandler _pipeline;

    public CacheHandlerTests()
    {
        var cache = new ResponseCache(new CacheOptions { MaxSize = 1_000_000 }, _time);
        _pipeline = PipelineBuilder.Build(_upstream, next => new CacheHandler(cache, next));
    }

    [Fact]
    public async Task SecondQuery_FromCache_WithClientIdCaseAndLowerTtl()
    {
        await AskAsync("www.example.com", id: 1);
        _time.Advance(TimeSpan.FromSeconds(40));

        var (response, source) = await AskAsync("WWW.example.COM", id: 2);

        Assert.Equal(AnswerSource.Cache, source);
        Assert.Equal(1, _upstream.Calls);
        Assert.Equal(2, response.Id);
        Assert.True(response.Questions[0].Name.EqualsExact(DnsName.Parse("WWW.example.COM")));
        Assert.Equal(260u, response.Answers.Single().Ttl);
    }

    [Fact]
    public async Task Expired_UpstreamsFail_StaleAnswerWithTtl30AndEde()
    {
        await AskAsync("www.example.com");
        _time.Advance(TimeSpan.FromSeconds(301));
        _upstream.Fail = true;

        var (response, source) = await AskAsync("www.example.com");

        Assert.Equal(AnswerSource.Stale, source);
        Assert.Equal(30u, response.Answers.Single().Ttl);
        Assert.Equal(2, _upstream.Calls);
    }

    [Fact]
    public async Task Expired_UpstreamAnswersServfail_StaleAnswerServed()
    {
        // Regression: only a SERVFAIL of our own made the stale answer go out, not one the upstream sent.
        await AskAsync("www.example.com");
        _time.Advance(TimeSpan.FromSeconds(301));
        _upstream.UpstreamServfail = true;

        var (response, source) = await AskAsync("www.example.com");

        Assert.Equal(AnswerSource.Stale, source);
        Assert.Equal(30u, response.Answers.Single().Ttl);
    }

    [Fact]
    public async Task Expired_UpstreamsAnswer_FreshAnswerNotStale()
    {
        await AskAsync("www.example.com");
        _time.Advance(TimeSpan.FromSeconds(301));

        var (response, source) = await AskAsync("www.example.com");

        Assert.Equal(AnswerSource.Upstream, source);
        Assert.Equal(300u, response.Answers.Single().Ttl);
    }

    [Fact]
    public async Task PopularEntryNearExpiry_RefreshedInTheBackground()
    {
        await AskAsync("www.example.com");
        await AskAsync("www.example.com");
        _time.Advance(TimeSpan.FromSeconds(280));

        var (_, source) = await AskAsync("www.example.com");
        Assert.Equal(AnswerSource.Cache, source);
        for (int i = 0; i < 200 && _upstream.Calls < 2; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(2, _upstream.Calls);
    }

    [Fact]
    public async Task Refresh_ContextReusedForTheNextQueryAtOnce_RefreshStillAsksTheOriginalQuestion()
    {
        // A UDP receive thread reuses its context as soon as a cached answer is sent: the background refresh must have
        // its own copy of the query.
        await AskAsync("www.example.com");
        await AskAsync("www.example.com");
        _time.Advance(TimeSpan.FromSeconds(280));

        var context = new QueryContext();
        var result = await _pipeline.HandleAsync(Reset(context, "www.example.com"));
        Assert.Equal(AnswerSource.Cache, result.Source);
        result.Release();
        Reset(context, "reused.example");

        for (int i = 0; i < 200 && _upstream.Calls < 3; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(["www.example.com", "www.example.com"], _upstream.Names);
    }

    private static QueryContext Reset(QueryContext context, string name)
    {
        byte[] query = new DnsMessage
        {
            Header = new DnsHeader { Id = 9, RecursionDesired = true },
            Questions = { new DnsQuestion(DnsName.Parse(name), DnsRecordType.A) },
        }.ToArray();
        context.Reset(query, new IPEndPoint(IPAddress.Loopback, 5000), DnsTransport.Udp, CancellationToken.None);
        DnsHeader.TryRead(query, out var header);
        context.Header = header;
        return context;
    }

    private async Task<(DnsMessage Response, AnswerSource Source)> AskAsync(string name, ushort id = 7)
    {
        var query = new DnsMessage
        {
            Header = new DnsHeader { Id = id, RecursionDesired = true },
            Questions = { new DnsQuestion(DnsName.Parse(name), DnsRecordType.A) },
        }.ToArray();
        return await PipelineAsk.AskAsync(_pipeline, query);
    }

    /// <summary>An upstream stand-in: answers 192.0.2.1 with TTL 300, or fails as the forwarder does (SERVFAIL of its own).</summary>
    private sealed class ScriptedHandler : IQueryHandler
    {
        private int _calls;

        public bool Fail { get; set; }

        public bool UpstreamServfail { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public System.Collections.Concurrent.ConcurrentQueue<string> Names { get; } = new();

        public ValueTask<QueryResult> HandleAsync(QueryContext context)
        {
            Interlocked.Increment(ref _calls);
            if (Fail)
            {
                return ValueTask.FromResult(ErrorResponses.Create(context, DnsResponseCode.ServerFailure));
            }

            var query = DnsMessage.Parse(context.Query.Span);
            Names.Enqueue(query.Questions[0].Name.ToString().TrimEnd('.'));
            var response = UpstreamServfail
                ? DnsResponseFactory.CreateResponse(query, DnsResponseCode.ServerFailure)
                : DnsResponseFactory.CreateResponse(query, [new DnsResourceRecord(query.Questions[0].Name, 300, new ARecordData(IPAddress.Parse("192.0.2.1")))]);
            byte[] wire = response.ToArray();
            byte[] buffer = ArrayPool<byte>.Shared.Rent(wire.Length + 32);
            wire.CopyTo(buffer, 0);
            return ValueTask.FromResult(QueryResult.FromPooled(buffer, wire.Length, AnswerSource.Upstream));
        }
    }
}
