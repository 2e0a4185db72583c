using BenchmarkDotNet.Attributes;
using Palisade.Protocol;

namespace Palisade.Benchmarks;

/// <summary>
/// Writing responses: a ten-record <see cref="DnsMessage"/> with name compression (the general path), and an error
/// response written straight from the query's octets by <see cref="DnsResponseFactory.TryWriteResponse"/> (the hot
/// path, which must allocate nothing).
/// </summary>
[MemoryDiagnoser]
public class WriteResponseBenchmark
{
    private readonly byte[] _buffer = new byte[DnsConstants.MaxMessageSize];
    private DnsMessage _addressChain = null!;
    private DnsMessage _mixed = null!;
    private byte[] _query = [];

    [GlobalSetup]
    public void Setup()
    {
        _addressChain = SampleMessages.ResponseMessage(ResponseShape.AddressChain);
        _mixed = SampleMessages.ResponseMessage(ResponseShape.Mixed);
        _query = SampleMessages.Query();
        if (WriteMessage() != SampleMessages.Response(ResponseShape.AddressChain).Length ||
            WriteMixedMessage() != SampleMessages.Response(ResponseShape.Mixed).Length ||
            WriteServFail() == 0 ||
            WriteServFailWithEde() == 0)
        {
            throw new InvalidOperationException("A sample response did not write.");
        }
    }

    /// <summary>The <see cref="ResponseShape.AddressChain"/> response: CNAME, 6 A, 3 AAAA and OPT.</summary>
    [Benchmark(Baseline = true)]
    public int WriteMessage() => _addressChain.TryWrite(_buffer, out int written) ? written : 0;

    /// <summary>The <see cref="ResponseShape.Mixed"/> response: 4 MX, 2 TXT, 4 A and OPT.</summary>
    [Benchmark]
    public int WriteMixedMessage() => _mixed.TryWrite(_buffer, out int written) ? written : 0;

    /// <summary>SERVFAIL echoing the question and the OPT record.</summary>
    [Benchmark]
    public int WriteServFail() =>
        DnsResponseFactory.TryWriteResponse(_query, DnsResponseCode.ServerFailure, _buffer, out int written) ? written : 0;

    /// <summary>As <see cref="WriteServFail"/>, with an Extended DNS Error option (RFC 8914).</summary>
    [Benchmark]
    public int WriteServFailWithEde() =>
        DnsResponseFactory.TryWriteResponse(_query, DnsResponseCode.ServerFailure, _buffer, out int written, ExtendedDnsErrorCode.NoReachableAuthority) ? written : 0;
}
