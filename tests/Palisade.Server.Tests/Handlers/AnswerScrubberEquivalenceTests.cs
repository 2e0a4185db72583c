using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using Palisade.Protocol;
using Palisade.Server.Handlers.Forwarding;
using Palisade.Server.Tests.Caching;

namespace Palisade.Server.Tests.Handlers;

/// <summary>
/// The linear <see cref="AnswerScrubber"/> must do exactly what the quadratic one did (<see cref="ReferenceAnswerScrubber"/>):
/// the same result and the same octets, on random answers built from a few related names (a chain, its zones, glue,
/// strangers, in random letter case) and on the same answers damaged.
/// </summary>
public sealed class AnswerScrubberEquivalenceTests
{
    private static readonly string[] Names =
    [
        ".", "example", "a.example", "b.example", "c.example", "www.a.example", "x.b.example", "ns.example", "ns.b.example",
        "victim.example", "ns.attacker.example", "attacker.example", "com", "ample", "a\\.example", "mail.example",
    ];

    private static readonly DnsRecordType[] QuestionTypes =
        [DnsRecordType.A, DnsRecordType.AAAA, DnsRecordType.CNAME, DnsRecordType.MX, DnsRecordType.NS, DnsRecordType.SRV];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Scrub_RandomAnswers_SameAsTheQuadraticScrubber(int seed)
    {
        var random = new Random(seed);
        var seen = new Dictionary<ScrubResult, int>();
        for (int i = 0; i < 500; i++)
        {
            byte[] wire = RandomAnswer(random, maxRecords: i % 10 == 0 ? 80 : i % 3 == 0 ? 3 : 12);
            var result = AssertSame(wire);
            seen[result] = seen.GetValueOrDefault(result) + 1;
        }

        // The answers are mixed enough to be worth comparing: some kept whole, many rewritten.
        Assert.InRange(seen.GetValueOrDefault(ScrubResult.Unchanged), 10, 490);
        Assert.InRange(seen.GetValueOrDefault(ScrubResult.Scrubbed), 10, 490);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Scrub_DamagedAnswers_SameAsTheQuadraticScrubber(int seed)
    {
        var random = new Random(seed);
        var seen = new Dictionary<ScrubResult, int>();
        for (int i = 0; i < 500; i++)
        {
            byte[] wire = RandomAnswer(random, maxRecords: 12);
            if (random.Next(2) == 0)
            {
                wire = wire[..random.Next(DnsConstants.HeaderSize + 1, wire.Length)];
            }

            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                wire[random.Next(DnsConstants.HeaderSize, wire.Length)] = (byte)random.Next(256);
            }

            var result = AssertSame(wire);
            seen[result] = seen.GetValueOrDefault(result) + 1;
        }

        Assert.InRange(seen.GetValueOrDefault(ScrubResult.Malformed), 10, 490);
    }

    [Fact]
    public void Scrub_ThousandsOfNsMxAndGlue_SameAsTheQuadraticScrubber()
    {
        // More NS, MX and SRV records than the glue table keeps on the stack, many pointing to the same names.
        var response = DnsResponseFactory.CreateResponse(CacheMessages.QueryMessage("a.example", DnsRecordType.MX));
        for (int i = 0; i < 600; i++)
        {
            response.Answers.Add(Record("a.example", new MxRecordData((ushort)i, DnsName.Parse($"mx{i % 300}.example"))));
            response.Authorities.Add(Record(i % 2 == 0 ? "example" : "victim.example", new NsRecordData(DnsName.Parse($"ns{i % 50}.example"))));
            response.Additionals.Add(Record(i % 3 == 0 ? $"ns{i % 70}.example" : $"mx{i}.example", new ARecordData(IPAddress.Parse("192.0.2.1"))));
        }

        byte[] wire = response.ToArray();

        var result = AssertSame(wire);

        Assert.Equal(ScrubResult.Scrubbed, result);
    }

    /// <summary>Scrubs with both and asserts the same outcome; returns it.</summary>
    private static ScrubResult AssertSame(byte[] wire)
    {
        var (expected, expectedBytes) = Run(ReferenceAnswerScrubber.Scrub, wire);
        var (actual, actualBytes) = Run(AnswerScrubber.Scrub, wire);
        Assert.True(expected == actual, $"{actual} where the reference gives {expected}, for {Convert.ToHexString(wire)}");
        Assert.True(expectedBytes.AsSpan().SequenceEqual(actualBytes), $"Other octets than the reference's, for {Convert.ToHexString(wire)}");
        return actual;
    }

    private delegate ScrubResult Scrubber(ReadOnlySpan<byte> response, out byte[]? scrubbed, out int length);

    private static (ScrubResult Result, byte[] Octets) Run(Scrubber scrub, byte[] wire)
    {
        var result = scrub(wire, out byte[]? scrubbed, out int length);
        if (scrubbed is null)
        {
            return (result, result == ScrubResult.Unchanged ? wire.AsSpan(0, length).ToArray() : []);
        }

        byte[] octets = scrubbed.AsSpan(0, length).ToArray();
        ArrayPool<byte>.Shared.Return(scrubbed);
        return (result, octets);
    }

    private static byte[] RandomAnswer(Random random, int maxRecords)
    {
        string question = Pick(random, Names[1..]);
        var query = CacheMessages.QueryMessage(RandomCase(random, question), Pick(random, QuestionTypes), edns: random.Next(2) == 0);
        var response = DnsResponseFactory.CreateResponse(query);

        // Half the owners are the ones each section would hold in a plain answer, so that some answers are kept whole.
        string[] likely = [question, "example", Pick(random, ["ns.example", "mail.example", "ns.b.example"])];
        for (int section = 0; section < 3; section++)
        {
            var records = section switch
            {
                0 => response.Answers,
                1 => response.Authorities,
                _ => response.Additionals,
            };
            for (int count = random.Next(maxRecords / 3 + 1); count > 0; count--)
            {
                string owner = random.Next(2) == 0 ? likely[section] : Pick(random, Names);
                records.Add(Record(RandomCase(random, owner), RandomData(random)));
            }
        }

        return response.ToArray();
    }

    private static DnsRecordData RandomData(Random random)
    {
        DnsName Target() => DnsName.Parse(RandomCase(random, Pick(random, Names)));
        return random.Next(12) switch
        {
            0 or 1 => new CnameRecordData(Target()),
            2 => new DnameRecordData(Target()),
            3 => new NsRecordData(Target()),
            4 => new MxRecordData((ushort)random.Next(100), Target()),
            5 => new SrvRecordData { Priority = 1, Weight = 2, Port = 443, Target = Target() },
            6 => new SoaRecordData { PrimaryNameServer = Target(), ResponsibleMailbox = Target(), Minimum = 300 },
            7 => new UnknownRecordData(DnsRecordType.NSEC, [0, 0, 1, 0x40]),
            8 => new UnknownRecordData(DnsRecordType.NSEC3, [1, 0, 0, 1, 0, 0]),
            9 => Rrsig(random.Next(2) == 0 ? DnsRecordType.DNAME : DnsRecordType.A),
            10 => new AaaaRecordData(IPAddress.Parse("2001:db8::1")),
            _ => new ARecordData(new IPAddress([192, 0, 2, (byte)random.Next(256)])),
        };
    }

    private static UnknownRecordData Rrsig(DnsRecordType covered)
    {
        byte[] data = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)covered);
        return new UnknownRecordData(DnsRecordType.RRSIG, data);
    }

    private static DnsResourceRecord Record(string owner, DnsRecordData data) => new(DnsName.Parse(owner), 300, data);

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static string RandomCase(Random random, string name) =>
        string.Concat(name.Select(c => random.Next(3) == 0 ? char.ToUpperInvariant(c) : c));
}
