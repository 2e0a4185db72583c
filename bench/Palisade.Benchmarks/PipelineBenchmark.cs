using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Protocol;
using Palisade.Server.Blocklists;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.AccessControl;
using Palisade.Server.Handlers.AnyQuery;
using Palisade.Server.Handlers.Blocking;
using Palisade.Server.Handlers.Caching;
using Palisade.Server.Handlers.Rebinding;
using Palisade.Server.Observability.Metrics;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Listeners;

namespace Palisade.Benchmarks;

/// <summary>
/// One UDP query through the whole server, per operation, as a receive thread of <c>UdpListener</c> handles a query it
/// answers inline: the client's end point from the per-thread table, <see cref="QueryContext.Reset"/> of the thread's
/// reused context, then <see cref="QueryDispatcher.DispatchAsync{TState}(QueryContext, TState, Func{TState, ReadOnlyMemory{byte}, ValueTask})"/>
/// (header, in-flight count, the pipeline generation, every handler, <see cref="ResponseFinisher.Finish"/> with the
/// client's OPT and Extended DNS Error, the send, <see cref="QueryResult.Release"/>). The pipeline is built as
/// <c>PalisadeServer.BuildParts</c> builds it with the defaults and the whole-server benchmark's settings: validation,
/// access control, blocking (when lists are loaded), ANY, cache, rebinding protection, forwarding (rate limiting is off,
/// as in <c>bench/server/run.sh</c>). Forwarding is a terminal that throws: none of these cases may reach it, and the
/// setup and the cleanup check that none did. The query is an A query with EDNS, as a stub resolver sends it.
/// The hot paths must allocate nothing, with the metrics observer attached to the generation as the server attaches it
/// and a <see cref="MeterListener"/> taking its measurements (as an exporter would).
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmark : IDisposable
{
    /// <summary>How many names the blocklist holds (hosts format, exact names, as <c>blocking.lists</c> loads a file).</summary>
    private const int BlockedNames = 100_000;

    private const ushort QueryId = 0xBEEF;

    private static readonly Func<PipelineBenchmark, ReadOnlyMemory<byte>, ValueTask> Send = Sent;

    private readonly ThrowingForwarder _forwarder = new();
    private readonly Meter _meter = new(QueryMetrics.MeterName);
    private readonly MeterListener _meterListener = new();
    private long _measured;
    private readonly byte[] _sent = new byte[DnsConstants.MaxMessageSize];
    private readonly QueryContext _context = new();
    private readonly QueryContext _blockedContext = new();
    private readonly ClientEndPoints _clients = new(AddressFamily.InterNetwork);
    private readonly SocketAddress _peer = new IPEndPoint(IPAddress.Loopback, 53535).Serialize();
    private int _sentLength;

    private QueryDispatcher _withoutLists = null!;
    private QueryDispatcher _withLists = null!;
    private byte[] _cachedQuery = [];
    private byte[] _blockedQuery = [];
    private BlockedResponse _blockedResponse = BlockedResponse.NullIp;

    [GlobalSetup]
    public void Setup()
    {
        _meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == _meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meterListener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _measured, value));
        _meterListener.Start();

        var options = new PalisadeOptions();
        var cache = new ResponseCache(options.Cache, TimeProvider.System);
        var set = BuildBlocklist(out string blockedName);
        _withoutLists = Dispatcher(options, cache, null);
        _withLists = Dispatcher(options, cache, set);

        // The cached answer is what an upstream said to www.example.com A (no OPT: the listener adds the client's).
        _cachedQuery = Query("www.example.com");
        _blockedQuery = Query(blockedName);
        var upstreamAnswer = SampleMessages.ResponseMessage(ResponseShape.AddressChain);
        upstreamAnswer.Edns = null;
        Span<byte> key = stackalloc byte[CacheKey.MaxLength];
        if (!CacheKey.TryCreate(_cachedQuery, key, out int keyLength) || !cache.TryStore(key[..keyLength], upstreamAnswer.ToArray()))
        {
            throw new InvalidOperationException("The sample answer should be cacheable.");
        }

        Check(CacheHit(), "www.example.com", expectAnswers: 10, blocked: false);
        Check(BlockedName(), blockedName, expectAnswers: 1, blocked: true);
        Check(AllowedCacheHit(), "www.example.com", expectAnswers: 10, blocked: false);

        // The blocked answer alone, for the context the blocked query left behind (validated: its question is read).
        Handle(_withLists, _blockedQuery, _blockedContext);
        if (BlockedAnswerOnly() != _sentLength - DnsOptEditor.EmptyOptLength - 6)
        {
            throw new InvalidOperationException("The blocked answer alone differs from the one the pipeline sent.");
        }

        EnsureNotForwarded();
        if (Interlocked.Read(ref _measured) == 0)
        {
            throw new InvalidOperationException("The metrics observer counted nothing.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => EnsureNotForwarded();

    public void Dispose()
    {
        _meterListener.Dispose();
        _meter.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A cache hit, no blocklist loaded.</summary>
    [Benchmark(Baseline = true)]
    public int CacheHit() => Handle(_withoutLists, _cachedQuery);

    /// <summary>A name from the 100,000-name blocklist: answered 0.0.0.0 before the cache.</summary>
    [Benchmark]
    public int BlockedName() => Handle(_withLists, _blockedQuery);

    /// <summary>A name not on the loaded blocklist, answered from the cache: both lookups run.</summary>
    [Benchmark]
    public int AllowedCacheHit() => Handle(_withLists, _cachedQuery);

    /// <summary>
    /// Only what <see cref="BlockingHandler"/> does once the name is found: <see cref="BlockedResponse.Create"/> (and
    /// giving its buffer back). Not a path of its own: it shows how much of <see cref="BlockedName"/> is the answer.
    /// </summary>
    [Benchmark]
    public int BlockedAnswerOnly()
    {
        var result = _blockedResponse.Create(_blockedContext);
        result.Release();
        return result.Length;
    }

    /// <summary>What a receive thread does with a datagram it answers inline.</summary>
    private int Handle(QueryDispatcher dispatcher, byte[] datagram) => Handle(dispatcher, datagram, _context);

    private int Handle(QueryDispatcher dispatcher, byte[] datagram, QueryContext context)
    {
        _sentLength = 0;
        context.Reset(datagram, _clients.Get(_peer), DnsTransport.Udp, CancellationToken.None);
        var dispatched = dispatcher.DispatchAsync(context, this, Send);
        if (!dispatched.IsCompleted)
        {
            throw new InvalidOperationException("The query was not answered inline.");
        }

        dispatched.GetAwaiter().GetResult();
        return _sentLength;
    }

    /// <summary>The send: copies the datagram, as <c>sendto</c> copies it into the kernel.</summary>
    private static ValueTask Sent(PipelineBenchmark benchmark, ReadOnlyMemory<byte> response)
    {
        response.Span.CopyTo(benchmark._sent);
        benchmark._sentLength = response.Length;
        return ValueTask.CompletedTask;
    }

    /// <summary>The dispatcher over the pipeline <c>PalisadeServer.BuildParts</c> makes for these parts.</summary>
    private QueryDispatcher Dispatcher(PalisadeOptions options, ResponseCache cache, BlocklistSet? lists)
    {
        var steps = new List<Func<IQueryHandler, IQueryHandler>> { next => new AccessControlHandler(options.Access, next) };
        if (lists is not null)
        {
            _blockedResponse = BlockedResponse.NullIp with { Ttl = (uint)options.Blocking.BlockedTtl.TotalSeconds };
            steps.Add(next => new BlockingHandler(() => lists, _blockedResponse, options.Blocking.CnameInspection, next));
        }

        steps.Add(next => new AnyQueryHandler(next));
        var work = new WorkCounter();
        steps.Add(next => new CacheHandler(cache, next, work));
        if (options.Security.RebindingProtection)
        {
            var allow = new RebindingAllowList(options.Security.RebindingAllow);
            steps.Add(next => new RebindingProtectionHandler(allow, NullLogger<RebindingProtectionHandler>.Instance, next));
        }

        var pipeline = new PipelineGeneration(PipelineBuilder.Build(_forwarder, [.. steps]), work, [new QueryMetrics(_meter)], TimeProvider.System);
        return new QueryDispatcher(pipeline, NullLogger.Instance, TimeProvider.System);
    }

    /// <summary>
    /// A hosts-format list of synthetic names under <c>.test</c> (three to five labels, spread over many parents, like
    /// <c>bench/server/gen.py</c>'s), built by <see cref="BlocklistSetBuilder"/> as the server builds a local list.
    /// </summary>
    private static BlocklistSet BuildBlocklist(out string blockedName)
    {
        var text = new StringBuilder(BlockedNames * 40);
        var random = new Random(42);
        blockedName = "";
        for (int i = 0; i < BlockedNames; i++)
        {
            string name = random.Next(3) switch
            {
                0 => $"ads{i}.p{random.Next(26_000)}.test",
                1 => $"t{i}.cdn.p{random.Next(26_000)}.test",
                _ => $"x{i}.a.b.p{random.Next(26_000)}.test",
            };
            text.Append("0.0.0.0 ").Append(name).Append('\n');
            if (i == BlockedNames / 2)
            {
                blockedName = name;
            }
        }

        var input = new BlocklistInput("bench", "bench.hosts", null, null, Subdomains: false, IsAllowList: false)
        {
            Body = Encoding.UTF8.GetBytes(text.ToString()),
        };
        var set = BlocklistSetBuilder.Build([input], failure => throw new InvalidOperationException(failure.Reason));
        if (set.Matcher.DomainCount != BlockedNames)
        {
            throw new InvalidOperationException($"The blocklist holds {set.Matcher.DomainCount} names, not {BlockedNames}.");
        }

        return set;
    }

    /// <summary>A recursive A query with an OPT record (payload 1232, DO clear), as a stub resolver sends it.</summary>
    private static byte[] Query(string name)
    {
        var query = new DnsMessage { Header = new DnsHeader { Id = QueryId, RecursionDesired = true }, Edns = new DnsEdns() };
        query.Questions.Add(new DnsQuestion(DnsName.Parse(name), DnsRecordType.A));
        return query.ToArray();
    }

    /// <summary>The answer sent is the one the case is meant to measure, not an error or a drop.</summary>
    private void Check(int length, string name, int expectAnswers, bool blocked)
    {
        if (length == 0)
        {
            throw new InvalidOperationException($"Nothing was sent for {name} (a drop, or a failure inside the server).");
        }

        var response = DnsMessage.Parse(_sent.AsSpan(0, length));
        bool ok = response.Id == QueryId && response.ResponseCode == DnsResponseCode.NoError &&
            response.Questions.Count == 1 && response.Questions[0].Name.ToString() == name + "." &&
            response.Answers.Count == expectAnswers && response.Edns is not null;
        if (blocked)
        {
            ok = ok && response.Answers[0].Data is ARecordData { Address: var address } && address.Equals(IPAddress.Any) &&
                response.Edns!.GetOption<ExtendedDnsErrorOption>()?.InfoCode == ExtendedDnsErrorCode.Blocked;
        }
        else
        {
            ok = ok && response.Answers.Any(a => a.Data is ARecordData) && response.Edns!.GetOption<ExtendedDnsErrorOption>() is null;
        }

        if (!ok)
        {
            throw new InvalidOperationException($"The answer to {name} is not the expected one: {response}");
        }
    }

    private void EnsureNotForwarded()
    {
        if (_forwarder.Calls != 0)
        {
            throw new InvalidOperationException($"Forwarding was reached {_forwarder.Calls} time(s): the benchmark measured a miss.");
        }
    }

    /// <summary>Stands where forwarding stands: reaching it means the case is not the one it claims to measure.</summary>
    private sealed class ThrowingForwarder : IQueryHandler
    {
        public int Calls { get; private set; }

        public ValueTask<QueryResult> HandleAsync(QueryContext context)
        {
            Calls++;
            throw new InvalidOperationException("Forwarding reached: this case should have been answered before it.");
        }
    }
}
