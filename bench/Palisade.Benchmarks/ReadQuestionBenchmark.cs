using BenchmarkDotNet.Attributes;
using Palisade.Protocol;

namespace Palisade.Benchmarks;

/// <summary>
/// The first thing the server does with every datagram: read the header and the question, decompressed into a
/// stack buffer. Must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class ReadQuestionBenchmark
{
    private byte[] _query = [];

    [GlobalSetup]
    public void Setup()
    {
        _query = SampleMessages.Query();
        if (ReadHeaderAndQuestion() == 0 || ReadHeaderQuestionAndOpt() == 0)
        {
            throw new InvalidOperationException("The sample query did not read.");
        }
    }

    /// <summary><see cref="DnsHeader.TryRead"/> then <see cref="DnsMessageReader.TryReadQuestion"/>.</summary>
    [Benchmark(Baseline = true)]
    public int ReadHeaderAndQuestion()
    {
        ReadOnlySpan<byte> query = _query;
        if (!DnsHeader.TryRead(query, out var header) || header.QuestionCount != 1)
        {
            return 0;
        }

        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        var reader = new DnsMessageReader(query) { Position = DnsConstants.HeaderSize };
        if (!reader.TryReadQuestion(name, out var question))
        {
            return 0;
        }

        return header.Id + question.NameLength + (int)question.Type + name[1];
    }

    /// <summary>As <see cref="ReadHeaderAndQuestion"/>, plus finding the OPT record (payload size, DO bit) as the server must.</summary>
    [Benchmark]
    public int ReadHeaderQuestionAndOpt()
    {
        ReadOnlySpan<byte> query = _query;
        if (!DnsHeader.TryRead(query, out var header) || header.QuestionCount != 1)
        {
            return 0;
        }

        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        var reader = new DnsMessageReader(query) { Position = DnsConstants.HeaderSize };
        if (!reader.TryReadQuestion(name, out var question) || !DnsMessageInspector.TryGetOpt(query, out var opt))
        {
            return 0;
        }

        return header.Id + question.NameLength + (int)question.Type + name[1] + opt.EffectiveUdpPayloadSize;
    }
}
