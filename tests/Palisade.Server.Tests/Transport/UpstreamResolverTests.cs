using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Palisade.Protocol;
using Palisade.Server.Configuration;
using Palisade.Server.Tests.Blocklists.Sources;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Server.Tests.Transport;

public sealed class UpstreamResolverTests
{
    private static readonly UpstreamQuestion Question = new(DnsName.Parse("www.example.com").WireBytes.ToArray(), DnsRecordType.A, DnsClass.IN, DnssecOk: false, CheckingDisabled: false);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Fastest_FirstUpstreamUnreachable_AnswerFromTheNext()
    {
        var broken = new FakeTransport(FakeTransport.Behaviour.Unreachable);
        var good = new FakeTransport(FakeTransport.Behaviour.Answer, "192.0.2.9");
        var resolver = Resolver(UpstreamStrategy.Fastest, broken, good);

        byte[]? answer = (await resolver.ResolveAsync(Question, CancellationToken.None))?.Message;

        Assert.NotNull(answer);
        Assert.Equal("192.0.2.9", DnsMessage.Parse(answer).Answers.Single().Data.ToString());
        Assert.Equal(1, broken.Calls);
    }

    [Fact]
    public async Task Fastest_ThreeFailures_UpstreamIsSkippedUntilItsProbe()
    {
        var broken = new FakeTransport(FakeTransport.Behaviour.Unreachable);
        var good = new FakeTransport(FakeTransport.Behaviour.Answer);
        var resolver = Resolver(UpstreamStrategy.Fastest, broken, good);

        for (int i = 0; i < UpstreamHealth.FailuresBeforeDown + 3; i++)
        {
            Assert.NotNull(await resolver.ResolveAsync(Question, CancellationToken.None));
        }

        Assert.Equal(UpstreamHealth.FailuresBeforeDown, broken.Calls);
        Assert.True(resolver.Upstreams[0].Health.IsDown);

        // After the backoff, one query probes it; once it answers, it is back.
        broken.Mode = FakeTransport.Behaviour.Answer;
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.NotNull(await resolver.ResolveAsync(Question, CancellationToken.None));
        Assert.Equal(UpstreamHealth.FailuresBeforeDown + 1, broken.Calls);
        Assert.False(resolver.Upstreams[0].Health.IsDown);
    }

    [Fact]
    public async Task InTurn_SilentUpstream_TimesOutAndTheNextAnswers()
    {
        var silent = new FakeTransport(FakeTransport.Behaviour.Silent);
        var good = new FakeTransport(FakeTransport.Behaviour.Answer);
        var resolver = Resolver(UpstreamStrategy.RoundRobin, silent, good);

        // Round robin starts with the first upstream for the first query.
        var pending = resolver.ResolveAsync(Question, CancellationToken.None);
        await WaitUntil(() => silent.Calls == 1);
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(2.5));

        Assert.NotNull(await pending);
        Assert.Equal(1, good.Calls);
    }

    [Fact]
    public async Task EveryUpstreamSilent_NullWithinTheTimeout()
    {
        var resolver = Resolver(UpstreamStrategy.Fastest, new FakeTransport(FakeTransport.Behaviour.Silent), new FakeTransport(FakeTransport.Behaviour.Silent));
        var pending = resolver.ResolveAsync(Question, CancellationToken.None);
        for (int i = 0; i < 10 && !pending.IsCompleted; i++)
        {
            await Task.Delay(10);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Null(await pending.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ServerFailure_NextUpstreamTried_ItsAnswerWins()
    {
        var failing = new FakeTransport(FakeTransport.Behaviour.ServerFailure);
        var good = new FakeTransport(FakeTransport.Behaviour.Answer);
        var resolver = Resolver(UpstreamStrategy.Fastest, failing, good);
        byte[]? answer = (await resolver.ResolveAsync(Question, CancellationToken.None))?.Message;
        Assert.Equal(DnsResponseCode.NoError, DnsMessage.Parse(answer).ResponseCode);
        Assert.False(resolver.Upstreams[0].Health.IsDown);
    }

    [Fact]
    public async Task AllServerFailure_TheUpstreamsServerFailureIsReturned()
    {
        var resolver = Resolver(UpstreamStrategy.Fastest, new FakeTransport(FakeTransport.Behaviour.ServerFailure));
        byte[]? answer = (await resolver.ResolveAsync(Question, CancellationToken.None))?.Message;
        Assert.Equal(DnsResponseCode.ServerFailure, DnsMessage.Parse(answer).ResponseCode);
    }

    [Fact]
    public async Task Parallel_OneSilentOneGood_GoodAnswersWithoutWaiting()
    {
        var silent = new FakeTransport(FakeTransport.Behaviour.Silent);
        var good = new FakeTransport(FakeTransport.Behaviour.Answer);
        var resolver = Resolver(UpstreamStrategy.Parallel, silent, good);
        Assert.NotNull(await resolver.ResolveAsync(Question, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, silent.Calls);
        Assert.Equal(1, good.Calls);
    }

    [Fact]
    public async Task IdenticalQueriesInFlight_SentUpstreamOnce()
    {
        var slow = new FakeTransport(FakeTransport.Behaviour.Silent);
        var resolver = Resolver(UpstreamStrategy.Fastest, slow);
        var first = resolver.ResolveAsync(Question, CancellationToken.None);
        var second = resolver.ResolveAsync(Question, CancellationToken.None);
        await WaitUntil(() => slow.Calls == 1);
        slow.Release.SetResult();

        Assert.NotNull(await first);
        Assert.NotNull(await second);
        Assert.Equal(1, slow.Calls);
    }

    [Fact]
    public async Task Parallel_SlowerUpstreamLosingRaces_IsNotMarkedDown()
    {
        // Regression: a race's losers were counted as failures, so a slower but healthy upstream went down.
        var slow = new FakeTransport(FakeTransport.Behaviour.Silent);
        var fast = new FakeTransport(FakeTransport.Behaviour.Answer);
        var resolver = Resolver(UpstreamStrategy.Parallel, slow, fast);
        for (int i = 0; i < UpstreamHealth.FailuresBeforeDown + 2; i++)
        {
            var question = Question with { Name = DnsName.Parse($"q{i}.example.com").WireBytes.ToArray() };
            Assert.NotNull(await resolver.ResolveAsync(question, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));
        }

        Assert.False(resolver.Upstreams[0].Health.IsDown);
    }

    [Fact]
    public async Task Deduplication_NamesDifferingAfterANonAsciiOctet_AreNotShared()
    {
        // Regression: the key was lower-cased with Ascii.ToLower, which stops at the first octet over 127.
        var slow = new FakeTransport(FakeTransport.Behaviour.Silent);
        var resolver = Resolver(UpstreamStrategy.Fastest, slow);
        var first = resolver.ResolveAsync(Question with { Name = DnsName.Parse("\\255aa.example").WireBytes.ToArray() }, CancellationToken.None);
        var second = resolver.ResolveAsync(Question with { Name = DnsName.Parse("\\255zz.example").WireBytes.ToArray() }, CancellationToken.None);
        await WaitUntil(() => slow.Calls == 2);
        slow.Release.SetResult();
        await Task.WhenAll(first, second);
        Assert.Equal(2, slow.Calls);
    }

    [Fact]
    public async Task Answer_NamesTheUpstreamThatGaveIt()
    {
        var resolver = Resolver(UpstreamStrategy.Fastest, new FakeTransport(FakeTransport.Behaviour.Unreachable), new FakeTransport(FakeTransport.Behaviour.Answer));

        var answer = await resolver.ResolveAsync(Question, CancellationToken.None);

        Assert.NotNull(answer);
        Assert.Same(resolver.Upstreams[1], answer.Upstream);
    }

    [Fact]
    public async Task ClientGone_SharedExchangeStillRunning_ClosingWaitsForIt()
    {
        // Regression: the shared exchange outlived the query that started it uncounted, so the upstreams could be
        // disposed under it by a reload.
        var slow = new FakeTransport(FakeTransport.Behaviour.Silent);
        var resolver = Resolver(UpstreamStrategy.Fastest, slow);
        using var client = new CancellationTokenSource();
        var pending = resolver.ResolveAsync(Question, client.Token);
        await WaitUntil(() => slow.Calls == 1);
        await client.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        var closing = resolver.Background.CloseAsync(TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        Assert.False(closing.IsCompleted);
        Assert.Equal(1, resolver.Background.Count);
        slow.Release.SetResult();
        await closing;
        Assert.Equal(0, resolver.Background.Count);
    }

    [Fact]
    public async Task Closed_NewQuestion_NullWithoutAskingAnyUpstream()
    {
        var transport = new FakeTransport(FakeTransport.Behaviour.Answer);
        var resolver = Resolver(UpstreamStrategy.Fastest, transport);
        await resolver.Background.CloseAsync(TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        Assert.Null(await resolver.ResolveAsync(Question, CancellationToken.None));
        Assert.Equal(0, transport.Calls);
    }

    [Fact]
    public void RoundRobin_TakesTurns()
    {
        var upstreams = Enumerable.Range(1, 3).Select(i => Upstream(new FakeTransport(FakeTransport.Behaviour.Answer), i)).ToList();
        var selector = new UpstreamSelector(upstreams, UpstreamStrategy.RoundRobin);
        Assert.Equal([upstreams[0], upstreams[1], upstreams[2]], selector.Order());
        Assert.Equal([upstreams[1], upstreams[2], upstreams[0]], selector.Order());
        Assert.Equal([upstreams[2], upstreams[0], upstreams[1]], selector.Order());
    }

    [Fact]
    public void Fastest_OrdersByMeasuredLatency_DownUpstreamsLast()
    {
        var upstreams = Enumerable.Range(1, 3).Select(i => Upstream(new FakeTransport(FakeTransport.Behaviour.Answer), i)).ToList();
        upstreams[0].Health.RecordSuccess(TimeSpan.FromMilliseconds(30));
        upstreams[1].Health.RecordSuccess(TimeSpan.FromMilliseconds(10));
        upstreams[2].Health.RecordSuccess(TimeSpan.FromMilliseconds(1));
        for (int i = 0; i < UpstreamHealth.FailuresBeforeDown; i++)
        {
            upstreams[2].Health.RecordFailure();
        }

        var order = new UpstreamSelector(upstreams, UpstreamStrategy.Fastest).Order();
        Assert.Equal([upstreams[1], upstreams[0], upstreams[2]], order);
    }

    [Fact]
    public async Task Failed_SilentUpstreamThatNeverAnswered_WarnsAtTheFirstTimeoutAndOnlyOnce()
    {
        var silent = new FakeTransport(FakeTransport.Behaviour.Silent);
        var log = new RecordingLogger<UpstreamResolver>();
        var resolver = Resolver(UpstreamStrategy.Fastest, log, silent);

        await TimeOutAsync(resolver, silent, 1);

        var warning = Assert.Single(log.Lines, l => l.Level == LogLevel.Warning);
        Assert.Equal(106, warning.EventId);
        Assert.Contains("has not answered once", warning.Message, StringComparison.Ordinal);

        // The same streak: the second timeout and the third, which takes it down, add no warning.
        await TimeOutAsync(resolver, silent, 2);
        await TimeOutAsync(resolver, silent, 3);
        Assert.True(resolver.Upstreams[0].Health.IsDown);
        Assert.Single(log.Lines, l => l.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Failed_SilentUpstreamThatAnsweredBefore_WarnsOnlyWhenItGoesDown()
    {
        var upstream = new FakeTransport(FakeTransport.Behaviour.Answer);
        var log = new RecordingLogger<UpstreamResolver>();
        var resolver = Resolver(UpstreamStrategy.Fastest, log, upstream);
        Assert.NotNull(await resolver.ResolveAsync(Question, CancellationToken.None));

        upstream.Mode = FakeTransport.Behaviour.Silent;
        await TimeOutAsync(resolver, upstream, 2);
        await TimeOutAsync(resolver, upstream, 3);
        Assert.DoesNotContain(log.Lines, l => l.Level == LogLevel.Warning);

        await TimeOutAsync(resolver, upstream, 4);
        Assert.Equal([100], log.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.EventId));
    }

    /// <summary>Sends a query that <paramref name="silent"/> (its <paramref name="call"/>th) leaves unanswered until the timeout.</summary>
    private async Task TimeOutAsync(UpstreamResolver resolver, FakeTransport silent, int call)
    {
        var pending = resolver.ResolveAsync(Question, CancellationToken.None);
        await WaitUntil(() => silent.Calls == call);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(await pending.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    private UpstreamResolver Resolver(UpstreamStrategy strategy, params FakeTransport[] transports) =>
        Resolver(strategy, NullLogger.Instance, transports);

    private UpstreamResolver Resolver(UpstreamStrategy strategy, ILogger logger, params FakeTransport[] transports) =>
        new([.. transports.Select((t, i) => Upstream(t, i + 1))], strategy, TimeSpan.FromSeconds(5), _time, logger);

    private Upstream Upstream(FakeTransport transport, int index) =>
        new(new UpstreamOptions(UpstreamProtocol.Udp, new IPEndPoint(IPAddress.Parse($"192.0.2.{index}"), 53)), transport, null, _time);

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
