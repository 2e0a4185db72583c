using BenchmarkDotNet.Attributes;
using Palisade.Protocol;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;

namespace Palisade.Benchmarks;

/// <summary>
/// Answering from the response cache, end to end: the key built from the query's octets, the lookup (shard lock, LRU
/// move, copy, TTLs lowered), then the ID and question case patched for the query. The stored answer is the ten-record
/// <see cref="ResponseShape.AddressChain"/>, in a cache holding 10 000 other entries. Must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class CacheLookupBenchmark
{
    private const ushort QueryId = 0xBEEF;

    private readonly byte[] _buffer = new byte[DnsConstants.MaxMessageSize];
    private readonly ManualTimeProvider _time = new();
    private ResponseCache _cache = null!;
    private byte[] _query = [];
    private byte[] _missQuery = [];

    [GlobalSetup]
    public void Setup()
    {
        _cache = new ResponseCache(new CacheOptions(), _time);
        var stored = SampleMessages.Response(ResponseShape.AddressChain);
        Span<byte> key = stackalloc byte[CacheKey.MaxLength];
        if (!CacheKey.TryCreate(SampleMessages.Query(), key, out int length) || !_cache.TryStore(key[..length], stored))
        {
            throw new InvalidOperationException("The sample response should be cacheable.");
        }

        for (int i = 0; i < 10_000; i++)
        {
            string name = $"host{i}.example.com";
            var query = SampleMessages.Query(name);
            var response = DnsResponseFactory.CreateResponse(DnsMessage.Parse(query), [
                new DnsResourceRecord(DnsName.Parse(name), SampleMessages.Ttl, new ARecordData(new System.Net.IPAddress([192, 0, 2, 1]))),
            ]);
            CacheKey.TryCreate(query, key, out length);
            _cache.TryStore(key[..length], response.ToArray());
        }

        _query = SampleMessages.Query("wWw.ExAmPlE.cOm", id: QueryId);
        _missQuery = SampleMessages.Query("absent.example.com", id: QueryId);
        _time.Advance(42);

        int written = Hit();
        var patched = DnsMessage.Parse(_buffer.AsSpan(0, written));
        if (patched.Id != QueryId || patched.Questions[0].Name.ToString() != "wWw.ExAmPlE.cOm." ||
            patched.Answers.Count != 10 || patched.Answers.Any(a => a.Ttl != SampleMessages.Ttl - 42) || Miss() != 0)
        {
            throw new InvalidOperationException("The cached answer is not what the query needs.");
        }
    }

    /// <summary>Key, lookup (copy and TTLs), ID, question case: the whole cache hit path.</summary>
    [Benchmark(Baseline = true)]
    public int Hit() => Answer(_query);

    /// <summary>Key and a lookup that finds nothing.</summary>
    [Benchmark]
    public int Miss() => Answer(_missQuery);

    /// <summary>The key alone, for scale.</summary>
    [Benchmark]
    public int KeyOnly()
    {
        Span<byte> key = stackalloc byte[CacheKey.MaxLength];
        return CacheKey.TryCreate(_query, key, out int length) ? length : -1;
    }

    private int Answer(byte[] query)
    {
        Span<byte> key = stackalloc byte[CacheKey.MaxLength];
        if (!CacheKey.TryCreate(query, key, out int length))
        {
            return -1;
        }

        if (!_cache.Lookup(key[..length], _buffer, out int written).IsHit)
        {
            return 0;
        }

        var message = _buffer.AsSpan(0, written);
        DnsMessagePatcher.SetId(message, QueryId);
        return DnsMessagePatcher.TryCopyQuestionCase(message, query) ? written : -1;
    }

    /// <summary>A clock that moves only when told, in whole seconds.</summary>
    private sealed class ManualTimeProvider : TimeProvider
    {
        private long _timestamp = 1_000_000;

        public override long TimestampFrequency => 1;

        public override long GetTimestamp() => _timestamp;

        public void Advance(long seconds) => _timestamp += seconds;
    }
}
