using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using BenchmarkDotNet.Attributes;
using Palisade.Protocol;
using Palisade.Server.Handlers.Forwarding;

namespace Palisade.Benchmarks;

/// <summary>The upstream answers <see cref="ScrubAnswerBenchmark"/> scrubs.</summary>
public enum ScrubShape
{
    /// <summary>A CNAME, its address, an in-bailiwick NS and its glue: every record kept, nothing copied.</summary>
    Clean,

    /// <summary>The clean answer plus an off-chain A, an out-of-bailiwick NS and two stray additionals: rewritten.</summary>
    Poisoned,

    /// <summary>
    /// A hostile 64 KB answer of about 5,500 records: the chain, 2,000 root-owned filler records in the answer, 900
    /// NSEC records below a zone whose SOA comes last in the authority, then additional filler up to 65,535 octets.
    /// Every NSEC and every additional record asks "below a kept zone?" or "glue?" of the whole message, which
    /// the quadratic scrubber answered by walking it again each time.
    /// </summary>
    Hostile64K,
}

/// <summary>
/// <see cref="AnswerScrubber.Scrub"/> on a small clean answer (must allocate nothing), a small poisoned one and a
/// hostile 64 KB one. The scrubbed buffer is returned to the pool after each call, so only the scrubber's own
/// allocations show.
/// </summary>
[MemoryDiagnoser]
public class ScrubAnswerBenchmark
{
    private const int FillerAnswers = 2_000;
    private const int Nsecs = 900;
    private const ushort PrivateType = 65280;

    private byte[] _answer = [];

    [Params(ScrubShape.Clean, ScrubShape.Poisoned, ScrubShape.Hostile64K)]
    public ScrubShape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _answer = Shape switch
        {
            ScrubShape.Clean => Small(poisoned: false),
            ScrubShape.Poisoned => Small(poisoned: true),
            _ => Hostile(),
        };

        var expected = Shape == ScrubShape.Clean ? ScrubResult.Unchanged : ScrubResult.Scrubbed;
        var result = AnswerScrubber.Scrub(_answer, out byte[]? scrubbed, out int length);
        if (result != expected)
        {
            throw new InvalidOperationException($"The {Shape} answer scrubs to {result}, not {expected}.");
        }

        if (scrubbed is not null)
        {
            var message = DnsMessage.Parse(scrubbed.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(scrubbed);
            int authorities = Shape == ScrubShape.Hostile64K ? Nsecs + 1 : 1;
            if (message.Answers.Count != 2 || message.Authorities.Count != authorities || message.Additionals.Count > 2)
            {
                throw new InvalidOperationException($"The scrubbed {Shape} answer is not the chain and its bailiwick data.");
            }
        }
    }

    [Benchmark]
    public int Scrub()
    {
        AnswerScrubber.Scrub(_answer, out byte[]? scrubbed, out int length);
        if (scrubbed is not null)
        {
            ArrayPool<byte>.Shared.Return(scrubbed);
        }

        return length;
    }

    private static byte[] Small(bool poisoned)
    {
        var query = DnsMessage.Parse(SampleMessages.Query("a.example"));
        var response = DnsResponseFactory.CreateResponse(query);
        response.Answers.Add(new DnsResourceRecord(DnsName.Parse("a.example"), SampleMessages.Ttl, new CnameRecordData(DnsName.Parse("b.example"))));
        response.Answers.Add(A("b.example", "192.0.2.1"));
        response.Authorities.Add(new DnsResourceRecord(DnsName.Parse("example"), SampleMessages.Ttl, new NsRecordData(DnsName.Parse("ns.example"))));
        response.Additionals.Add(A("ns.example", "192.0.2.53"));
        if (poisoned)
        {
            response.Answers.Add(A("victim.example", "203.0.113.66"));
            response.Authorities.Add(new DnsResourceRecord(DnsName.Parse("victim.example"), SampleMessages.Ttl, new NsRecordData(DnsName.Parse("ns.attacker.example"))));
            response.Additionals.Add(A("ns.attacker.example", "203.0.113.53"));
            response.Additionals.Add(A("www.victim.example", "203.0.113.80"));
        }

        return response.ToArray();
    }

    private static DnsResourceRecord A(string owner, string address) =>
        new(DnsName.Parse(owner), SampleMessages.Ttl, new ARecordData(IPAddress.Parse(address)));

    /// <summary>Written octet by octet, so that every record is as small as the format allows.</summary>
    private static byte[] Hostile()
    {
        var wire = new List<byte>(DnsConstants.MaxMessageSize);

        // Header (counts patched below), then the question a.example A IN at offset 12; "example" is at 14.
        wire.AddRange([0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0]);
        wire.AddRange([1, (byte)'a', 7, .. "example"u8, 0, 0, 1, 0, 1]);

        // a.example CNAME b.example, then b.example A: the chain, kept.
        Record(wire, [0xC0, 12], DnsRecordType.CNAME, [1, (byte)'b', 0xC0, 14]);
        int bOffset = wire.Count - 4;
        Record(wire, [(byte)(0xC0 | (bOffset >> 8)), (byte)bOffset], DnsRecordType.A, [192, 0, 2, 1]);
        for (int i = 0; i < FillerAnswers; i++)
        {
            Record(wire, [0], (DnsRecordType)PrivateType, []);
        }

        // NSEC records owned by a.example (next name the root, a bitmap of A), then the SOA of example.
        for (int i = 0; i < Nsecs; i++)
        {
            Record(wire, [0xC0, 12], DnsRecordType.NSEC, [0, 0, 1, 0x40]);
        }

        Record(wire, [0xC0, 14], DnsRecordType.SOA, [
            2, (byte)'n', (byte)'s', 0xC0, 14, 1, (byte)'h', 0xC0, 14,
            0, 0, 0, 1, 0, 0, 0x0E, 0x10, 0, 0, 0x03, 0x84, 0, 0x09, 0x3A, 0x80, 0, 0, 0x03, 0x84]);

        int additionals = (DnsConstants.MaxMessageSize - wire.Count) / 11;
        for (int i = 0; i < additionals; i++)
        {
            Record(wire, [0], (DnsRecordType)PrivateType, []);
        }

        byte[] message = [.. wire];
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), (ushort)(2 + FillerAnswers));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), Nsecs + 1);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(10), (ushort)additionals);
        return message;
    }

    private static void Record(List<byte> wire, ReadOnlySpan<byte> owner, DnsRecordType type, ReadOnlySpan<byte> data)
    {
        wire.AddRange(owner);
        Span<byte> fixedPart = stackalloc byte[10];
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart[2..], 1);
        BinaryPrimitives.WriteUInt32BigEndian(fixedPart[4..], SampleMessages.Ttl);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart[8..], (ushort)data.Length);
        wire.AddRange(fixedPart);
        wire.AddRange(data);
    }
}
