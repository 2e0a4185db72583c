using System.Net;

namespace Palisade.Protocol.Tests.Vectors;

/// <summary>Our reader must read every dnspython vector to the same header, question, records and EDNS that dnspython read.</summary>
public sealed class DnspythonReadTests
{
    public static TheoryData<string> VectorNames => [.. VectorFile.Instance.Vectors.Select(v => v.Name)];

    public static TheoryData<string, string> Names
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var name in VectorFile.Instance.Names)
            {
                data.Add(name.Text, name.Wire);
            }

            return data;
        }
    }

    [Fact]
    public void VectorFile_CoversEveryTypedRecordAndOption_Yes()
    {
        var types = VectorFile.Instance.Vectors
            .SelectMany(v => v.Answer.Concat(v.Authority).Concat(v.Additional))
            .Select(r => (DnsRecordType)r.Type)
            .ToHashSet();
        DnsRecordType[] required =
        [
            DnsRecordType.A, DnsRecordType.AAAA, DnsRecordType.CNAME, DnsRecordType.DNAME, DnsRecordType.NS,
            DnsRecordType.PTR, DnsRecordType.MX, DnsRecordType.TXT, DnsRecordType.SOA, DnsRecordType.SRV,
            DnsRecordType.CAA, DnsRecordType.SVCB, DnsRecordType.HTTPS, DnsRecordType.DS, DnsRecordType.DNSKEY,
            DnsRecordType.RRSIG, DnsRecordType.NSEC, DnsRecordType.NSEC3, DnsRecordType.NAPTR,
        ];
        Assert.Empty(required.Except(types));
        var options = VectorFile.Instance.Vectors.Where(v => v.Edns is not null).SelectMany(v => v.Edns!.Options).Select(o => o.Code).ToHashSet();
        Assert.Superset(new HashSet<int> { 8, 12, 15 }, options);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void DnsName_ParseAndFormat_MatchDnspython(string text, string wire)
    {
        var parsed = DnsName.Parse(text);
        Assert.Equal(wire, Convert.ToHexStringLower(parsed.WireBytes));

        var fromWire = DnsName.FromWire(Convert.FromHexString(wire));
        Assert.Equal(text, fromWire.ToString());
        Assert.True(parsed.EqualsExact(fromWire));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Parse_Vector_MatchesDnspython(string name)
    {
        var vector = VectorFile.Instance[name];
        byte[] wire = vector.WireBytes;
        var message = DnsMessage.Parse(wire);

        Assert.True(DnsHeader.TryRead(wire, out var header));
        Assert.Equal(vector.Header.Id, header.Id);
        Assert.Equal(vector.Header.Flags, header.Flags);
        Assert.Equal(vector.Header.Qdcount, header.QuestionCount);
        Assert.Equal(vector.Header.Ancount, header.AnswerCount);
        Assert.Equal(vector.Header.Nscount, header.AuthorityCount);
        Assert.Equal(vector.Header.Arcount, header.AdditionalCount);
        Assert.Equal(vector.Header.Opcode, (int)message.Header.Opcode);
        Assert.Equal(vector.Header.Rcode, (int)message.ResponseCode);

        AssertEdns(vector.Edns, message.Edns);

        Assert.Equal(vector.Question.Count, message.Questions.Count);
        for (int i = 0; i < vector.Question.Count; i++)
        {
            Assert.Equal(vector.Question[i].Name, message.Questions[i].Name.ToString());
            Assert.Equal(vector.Question[i].Type, (int)message.Questions[i].Type);
            Assert.Equal(vector.Question[i].Class, (int)message.Questions[i].Class);
        }

        AssertSection(vector.Answer, message.Answers);
        AssertSection(vector.Authority, message.Authorities);
        AssertSection(vector.Additional, message.Additionals);
    }

    private static void AssertSection(List<RecordVector> expected, List<DnsResourceRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var want = expected[i];
            var got = actual[i];
            Assert.Equal(want.Name, got.Name.ToString());
            Assert.Equal(want.Type, (int)got.Type);
            Assert.Equal(want.Class, (int)got.Class);
            Assert.Equal(want.Ttl, got.Ttl);
            if (got.Data is UnknownRecordData unknown)
            {
                // Kept whole: the octets must be exactly dnspython's uncompressed RDATA.
                Assert.Equal(want.RdataGeneric, Convert.ToHexStringLower(unknown.Data));
            }
            else
            {
                Assert.Equal(want.RdataText, got.Data.ToString());
                Assert.Equal(want.RdataGeneric, Convert.ToHexStringLower(got.Data.ToWire()));
            }
        }
    }

    private static void AssertEdns(EdnsVector? expected, DnsEdns? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Payload, actual.UdpPayloadSize);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.Options.Count, actual.Options.Count);
        for (int i = 0; i < expected.Options.Count; i++)
        {
            var want = expected.Options[i];
            var got = actual.Options[i];
            Assert.Equal(want.Code, (int)got.Code);
            switch (got)
            {
                case ClientSubnetOption subnet:
                    Assert.Equal(want.Family, subnet.Family);
                    Assert.Equal(want.Source, subnet.SourcePrefixLength);
                    Assert.Equal(want.Scope, subnet.ScopePrefixLength);
                    Assert.Equal(IPAddress.Parse(want.Address!), subnet.Address);
                    Assert.Equal(want.Data, Convert.ToHexStringLower(got.GetData()));
                    break;
                case ExtendedDnsErrorOption ede:
                    Assert.Equal(want.InfoCode, (int)ede.InfoCode);
                    Assert.Equal(string.IsNullOrEmpty(want.Text) ? null : want.Text, ede.ExtraText);
                    break;
                case PaddingOption padding:
                    Assert.Equal(want.Length, padding.Length);
                    break;
                default:
                    Assert.Equal(want.Data, Convert.ToHexStringLower(got.GetData()));
                    break;
            }
        }
    }
}
