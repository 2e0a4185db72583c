using BenchmarkDotNet.Attributes;
using Palisade.Protocol;

namespace Palisade.Benchmarks;

/// <summary>
/// Answering from the cache: a stored ten-record response is copied into the send buffer and patched in place for
/// the new query (its ID, its question's letter case, TTLs lowered by the time spent in the cache). Must allocate
/// nothing. Each iteration starts from the stored octets, so the TTLs do not drift.
/// </summary>
[MemoryDiagnoser]
public class PatchResponseBenchmark
{
    private const ushort QueryId = 0xBEEF;
    private const uint SecondsInCache = 42;

    private readonly byte[] _buffer = new byte[DnsConstants.MaxMessageSize];
    private byte[] _stored = [];
    private byte[] _query = [];
    private ushort[] _ttlOffsets = [];

    [GlobalSetup]
    public void Setup()
    {
        _stored = SampleMessages.Response(ResponseShape.AddressChain);
        _query = SampleMessages.Query("wWw.ExAmPlE.cOm", id: QueryId);

        Span<ushort> offsets = stackalloc ushort[64];
        if (!DnsMessageInspector.TryFindTtlOffsets(_stored, offsets, out int count) || count != 10)
        {
            throw new InvalidOperationException("The stored response should have ten TTLs.");
        }

        _ttlOffsets = offsets[..count].ToArray();
        if (FindAndPatch() != PrecomputedPatch() || FindAndPatch() == 0)
        {
            throw new InvalidOperationException("The two patch paths disagree, or patching failed.");
        }

        var patched = DnsMessage.Parse(_buffer.AsSpan(0, _stored.Length));
        if (patched.Id != QueryId || patched.Questions[0].Name.ToString() != "wWw.ExAmPlE.cOm." || patched.Answers[0].Ttl != SampleMessages.Ttl - SecondsInCache)
        {
            throw new InvalidOperationException("The patched response is not what the query needs.");
        }
    }

    /// <summary>The copy alone, for scale: what the patching adds is the difference.</summary>
    [Benchmark(Baseline = true)]
    public int CopyOnly()
    {
        _stored.CopyTo(_buffer.AsSpan());
        return _buffer[_stored.Length - 1];
    }

    /// <summary>Copy, SetId, TryCopyQuestionCase, TryFindTtlOffsets (into a stack buffer), SubtractFromTtls.</summary>
    [Benchmark]
    public int FindAndPatch()
    {
        var message = _buffer.AsSpan(0, _stored.Length);
        _stored.CopyTo(message);
        DnsMessagePatcher.SetId(message, QueryId);
        if (!DnsMessagePatcher.TryCopyQuestionCase(message, _query))
        {
            return 0;
        }

        Span<ushort> offsets = stackalloc ushort[64];
        if (!DnsMessageInspector.TryFindTtlOffsets(message, offsets, out int count))
        {
            return 0;
        }

        DnsMessagePatcher.SubtractFromTtls(message, offsets[..count], SecondsInCache);
        return count + message[^1];
    }

    /// <summary>As <see cref="FindAndPatch"/> with the TTL offsets found once, as a cache entry would keep them.</summary>
    [Benchmark]
    public int PrecomputedPatch()
    {
        var message = _buffer.AsSpan(0, _stored.Length);
        _stored.CopyTo(message);
        DnsMessagePatcher.SetId(message, QueryId);
        if (!DnsMessagePatcher.TryCopyQuestionCase(message, _query))
        {
            return 0;
        }

        DnsMessagePatcher.SubtractFromTtls(message, _ttlOffsets, SecondsInCache);
        return _ttlOffsets.Length + message[^1];
    }
}
