using System.Net;
using Microsoft.Extensions.Time.Testing;
using Palisade.Protocol;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.Caching;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Tests.Reload;

/// <summary>
/// The replaced pipeline of a reload: closed once no query is inside, and a query that reaches it afterwards (it read the
/// pipeline just before the swap) goes to the new one instead of to parts being released.
/// </summary>
public sealed class PipelineGenerationTests
{
    [Fact]
    public async Task Retire_NoQueryInside_ClosesAtOnce()
    {
        var old = new PipelineGeneration(new Answering(AnswerSource.Upstream));

        await old.RetireAsync(new Answering(AnswerSource.Cache), TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        Assert.True(old.IsClosed);
    }

    [Fact]
    public async Task Retire_QueryInside_ClosesWhenItLeaves()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var old = new PipelineGeneration(new Answering(AnswerSource.Upstream, gate.Task));
        var inside = old.HandleAsync(Context()).AsTask();

        var retiring = old.RetireAsync(new Answering(AnswerSource.Cache), TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        Assert.False(retiring.IsCompleted);
        Assert.Equal(1, old.InFlight);
        gate.SetResult();
        Assert.Equal(AnswerSource.Upstream, (await inside).Source);
        await retiring;
        Assert.True(old.IsClosed);
    }

    [Fact]
    public async Task Closed_LateQuery_GoesToTheSuccessor()
    {
        var old = new PipelineGeneration(new Answering(AnswerSource.Upstream));
        await old.RetireAsync(new Answering(AnswerSource.Cache), TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        var result = await old.HandleAsync(Context());

        Assert.Equal(AnswerSource.Cache, result.Source);
        Assert.Equal(0, old.InFlight);
    }

    [Fact]
    public async Task Retire_Stopping_ClosesWithTheQueryStillInside()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var old = new PipelineGeneration(new Answering(AnswerSource.Upstream, gate.Task));
        var inside = old.HandleAsync(Context()).AsTask();
        using var stopping = new CancellationTokenSource();

        var retiring = old.RetireAsync(new Answering(AnswerSource.Cache), TimeSpan.FromMinutes(1), TimeProvider.System, stopping.Token);
        await stopping.CancelAsync();
        await retiring;

        Assert.True(old.IsClosed);
        gate.SetResult();
        Assert.Equal(AnswerSource.Upstream, (await inside).Source);
    }

    [Fact]
    public async Task Retire_PrefetchRunning_ClosesOnlyWhenItEnds()
    {
        // Regression: a prefetch started by a cache hit was not counted, so a reload could close the upstreams under it.
        var time = new FakeTimeProvider();
        var upstream = new Answering(AnswerSource.Upstream);
        var cache = new ResponseCache(new CacheOptions { MaxSize = 1_000_000 }, time);
        var work = new WorkCounter();
        var old = new PipelineGeneration(PipelineBuilder.Build(upstream, next => new CacheHandler(cache, next, work)), work);
        (await old.HandleAsync(Context())).Release();
        (await old.HandleAsync(Context())).Release();
        time.Advance(TimeSpan.FromSeconds(280));
        upstream.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var hit = await old.HandleAsync(Context());
        Assert.Equal(AnswerSource.Cache, hit.Source);
        hit.Release();
        await upstream.Asked(2);
        var retiring = old.RetireAsync(new Answering(AnswerSource.Cache), TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        Assert.False(retiring.IsCompleted);
        Assert.Equal(1, old.InFlight);
        upstream.Gate.SetResult();
        await retiring;
        Assert.True(old.IsClosed);
    }

    private static QueryContext Context()
    {
        byte[] query = new DnsMessage
        {
            Header = new DnsHeader { Id = 7, RecursionDesired = true },
            Questions = { new DnsQuestion(DnsName.Parse("a.example"), DnsRecordType.A) },
        }.ToArray();
        DnsHeader.TryRead(query, out var header);
        return new QueryContext(query, new IPEndPoint(IPAddress.Loopback, 5000), DnsTransport.Udp, CancellationToken.None) { Header = header };
    }

    /// <summary>
    /// Answers with one A record (TTL 300), its source given as <paramref name="source"/>, once <paramref name="gate"/>
    /// (or <see cref="Gate"/>, set later) completes.
    /// </summary>
    private sealed class Answering(AnswerSource source, Task? gate = null) : IQueryHandler
    {
        private int _calls;
        private TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource? Gate { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        /// <summary>Completes once it has been asked <paramref name="count"/> times.</summary>
        public async Task Asked(int count)
        {
            while (Calls < count)
            {
                await _asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
        }

        public async ValueTask<QueryResult> HandleAsync(QueryContext context)
        {
            Interlocked.Increment(ref _calls);
            Interlocked.Exchange(ref _asked, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
            if ((gate ?? Gate?.Task) is { } wait)
            {
                await wait;
            }

            var query = DnsMessage.Parse(context.Query.Span);
            var response = DnsResponseFactory.CreateResponse(query, [new DnsResourceRecord(query.Questions[0].Name, 300, new ARecordData(IPAddress.Parse("192.0.2.1")))]);
            byte[] wire = response.ToArray();
            byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(wire.Length);
            wire.CopyTo(buffer, 0);
            return QueryResult.FromPooled(buffer, wire.Length, source);
        }
    }
}
