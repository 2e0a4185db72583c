using BenchmarkDotNet.Attributes;
using Palisade.Protocol;

namespace Palisade.Benchmarks;

/// <summary>
/// Reading a whole ten-record compressed response: into objects with <see cref="DnsMessage.Parse"/> (the general
/// path, which allocates), and walked in place with <see cref="DnsRecordWalker"/> (the hot path, which must not).
/// </summary>
[MemoryDiagnoser]
public class ReadResponseBenchmark
{
    private byte[] _response = [];

    [Params(ResponseShape.AddressChain, ResponseShape.Mixed)]
    public ResponseShape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _response = SampleMessages.Response(Shape);
        if (Parse() != 10 || Walk() == 0)
        {
            throw new InvalidOperationException("The sample response did not read as ten records.");
        }
    }

    [Benchmark(Baseline = true)]
    public int Parse()
    {
        var message = DnsMessage.Parse(_response);
        return message.Answers.Count + message.Authorities.Count + message.Additionals.Count;
    }

    /// <summary>Every record's slot (section, type, TTL and data offsets), names validated but not copied.</summary>
    [Benchmark]
    public int Walk()
    {
        var walker = new DnsRecordWalker(_response);
        int sum = 0;
        while (walker.TryNext(out var slot))
        {
            sum += slot.TtlOffset + slot.DataLength + (int)slot.Type;
        }

        return walker.Error == DnsReadError.None ? sum : -1;
    }
}
