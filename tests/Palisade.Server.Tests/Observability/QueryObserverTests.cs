using System.Buffers;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Palisade.Protocol;
using Palisade.Server.Blocklists;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.Blocking;
using Palisade.Server.Handlers.Caching;
using Palisade.Server.Observability;
using Palisade.Server.Observability.Metrics;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Tests.Observability;

/// <summary>
/// The observer seam: a pipeline generation hands every query it finishes to its observers, with what was asked, what
/// was answered, where from and how long it took; an observer that throws changes nothing; the hot path with the metrics
/// observer attached (and a listener enabled) allocates nothing.
/// </summary>
public sealed class QueryObserverTests
{
    private static readonly IPEndPoint Client = new(IPAddress.Parse("192.168.1.20"), 5000);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Generation_ForwardedQuery_ObserverSeesQuestionClientSourceAndDuration()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new Recorder();
        var generation = new PipelineGeneration(PipelineBuilder.Build(new Upstream(gate.Task)), observers: [recorder], timeProvider: _time);
        var context = Context("WWW.Example.com", DnsTransport.Tcp);

        var pending = generation.HandleAsync(context).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(42));
        gate.SetResult();
        (await pending).Release();

        var seen = Assert.Single(recorder.Seen);
        Assert.Equal("WWW.Example.com.", seen.Name);
        Assert.Equal(DnsRecordType.AAAA, seen.Type);
        Assert.Same(Client, seen.Client);
        Assert.Equal(DnsTransport.Tcp, seen.Transport);
        Assert.Equal(AnswerSource.Upstream, seen.Source);
        Assert.Equal(DnsResponseCode.NoError, seen.ResponseCode);
        Assert.False(seen.Dropped);
        Assert.Equal(TimeSpan.FromMilliseconds(42), seen.Duration);
        Assert.Equal(_time.GetUtcNow(), seen.Time);
    }

    [Fact]
    public async Task Generation_BlockedName_ObserverGetsTheSetThatBlockedIt()
    {
        var set = BlocklistSetBuilder.Build(
            [new BlocklistInput("deny", "inline", null, null, Subdomains: true, IsAllowList: false) { Body = "ads.example\n"u8.ToArray() }],
            failure => throw new InvalidOperationException(failure.Reason));
        var recorder = new Recorder();
        var pipeline = PipelineBuilder.Build(new Upstream(null), next => new BlockingHandler(() => set, BlockedResponse.NullIp, cnameInspection: true, next));
        var generation = new PipelineGeneration(pipeline, observers: [recorder], timeProvider: _time);

        (await generation.HandleAsync(Context("tracker.ads.example"))).Release();
        (await generation.HandleAsync(Context("fine.example"))).Release();

        Assert.Equal(2, recorder.Seen.Count);
        Assert.Equal(AnswerSource.Blocked, recorder.Seen[0].Source);
        Assert.Same(set, recorder.Seen[0].BlockedBy);
        Assert.Equal(AnswerSource.Upstream, recorder.Seen[1].Source);
        Assert.Null(recorder.Seen[1].BlockedBy);
    }

    [Fact]
    public async Task Generation_ObserverThrows_QueryAnsweredAndOthersStillSeeIt()
    {
        var recorder = new Recorder();
        var generation = new PipelineGeneration(PipelineBuilder.Build(new Upstream(null)), observers: [new Throwing(), recorder], timeProvider: _time);

        var result = await generation.HandleAsync(Context("a.example"));

        Assert.Equal(AnswerSource.Upstream, result.Source);
        result.Release();
        Assert.Single(recorder.Seen);
        Assert.Equal(0, generation.InFlight);
    }

    [Fact]
    public void CacheHit_WithMetricsObserverAndListener_AllocatesNothing()
    {
        using var meter = new Meter("Palisade.Tests.Allocation");
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => counted += value);
        listener.Start();

        var cache = new ResponseCache(new CacheOptions { MaxSize = 1_000_000 }, _time);
        var work = new WorkCounter();
        var pipeline = PipelineBuilder.Build(new Upstream(null), next => new CacheHandler(cache, next, work));
        var generation = new PipelineGeneration(pipeline, work, [new QueryMetrics(meter)], _time);
        var context = new QueryContext();
        byte[] query = Query("www.example.com");
        Ask(generation, context, query);

        for (int i = 0; i < 100; i++)
        {
            Ask(generation, context, query);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Ask(generation, context, query);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1101, counted);
    }

    private void Ask(PipelineGeneration generation, QueryContext context, byte[] query)
    {
        context.Reset(query, Client, DnsTransport.Udp, CancellationToken.None);
        DnsHeader.TryRead(query, out var header);
        context.Header = header;
        context.ReceivedTimestamp = _time.GetTimestamp();
        var handling = generation.HandleAsync(context);
        if (!handling.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("The query was expected to finish at once.");
        }

        handling.Result.Release();
    }

    private QueryContext Context(string name, DnsTransport transport = DnsTransport.Udp)
    {
        byte[] query = Query(name, DnsRecordType.AAAA);
        DnsHeader.TryRead(query, out var header);
        return new QueryContext(query, Client, transport, CancellationToken.None) { Header = header, ReceivedTimestamp = _time.GetTimestamp() };
    }

    private static byte[] Query(string name, DnsRecordType type = DnsRecordType.A) => new DnsMessage
    {
        Header = new DnsHeader { Id = 7, RecursionDesired = true },
        Questions = { new DnsQuestion(DnsName.Parse(name), type) },
    }.ToArray();

    private sealed record Seen(string Name, DnsRecordType Type, IPEndPoint Client, DnsTransport Transport, AnswerSource Source, DnsResponseCode ResponseCode, bool Dropped, TimeSpan Duration, DateTimeOffset Time, BlocklistSet? BlockedBy);

    private sealed class Recorder : IQueryObserver
    {
        public List<Seen> Seen { get; } = [];

        public void OnQueryCompleted(in CompletedQuery query) => Seen.Add(new Seen(
            DnsName.FromWire(query.Name).ToString(), query.Type, query.Client, query.Transport, query.Source, query.ResponseCode,
            query.Dropped, query.Duration, query.Time, query.BlockedBy));
    }

    private sealed class Throwing : IQueryObserver
    {
        public void OnQueryCompleted(in CompletedQuery query) => throw new InvalidOperationException("observer failure");
    }

    /// <summary>Answers every question with one A record (TTL 300), once <paramref name="gate"/> (if any) completes.</summary>
    private sealed class Upstream(Task? gate) : IQueryHandler
    {
        public async ValueTask<QueryResult> HandleAsync(QueryContext context)
        {
            if (gate is not null)
            {
                await gate;
            }

            var query = DnsMessage.Parse(context.Query.Span);
            var response = DnsResponseFactory.CreateResponse(query, [new DnsResourceRecord(query.Questions[0].Name, 300, new ARecordData(IPAddress.Parse("192.0.2.1")))]);
            byte[] wire = response.ToArray();
            byte[] buffer = ArrayPool<byte>.Shared.Rent(wire.Length);
            wire.CopyTo(buffer, 0);
            return QueryResult.FromPooled(buffer, wire.Length, AnswerSource.Upstream);
        }
    }
}
