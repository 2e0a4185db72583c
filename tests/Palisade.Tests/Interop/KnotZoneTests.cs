namespace Palisade.Tests.Interop;

/// <summary>The interop kit itself, against Knot directly: the zone loads, and dig and kdig output parses into what the zone holds.</summary>
[Trait("Category", "Interop")]
public sealed class KnotZoneTests(KnotFixture knot) : IClassFixture<KnotFixture>
{
    [Theory]
    [InlineData(DigTool.Dig, DnsTransport.Udp)]
    [InlineData(DigTool.Dig, DnsTransport.Tcp)]
    [InlineData(DigTool.Kdig, DnsTransport.Udp)]
    [InlineData(DigTool.Kdig, DnsTransport.Tcp)]
    public async Task Knot_Zone_AnswersEveryName(DigTool tool, DnsTransport transport)
    {
        DigClient client = knot.Client(tool);
        foreach (ZoneCase zoneCase in ExampleZone.Cases)
        {
            DigAnswer answer = await client.QueryAsync(zoneCase.Name, zoneCase.Type, transport);
            string context = $"{tool} {zoneCase} over {transport}:\n{answer.Raw}";
            Assert.True(zoneCase.Status == answer.Status, context);
            Assert.True(answer.Authoritative, context);
            Assert.True(zoneCase.Name.Equals(answer.QuestionName, StringComparison.OrdinalIgnoreCase), context);
            Assert.True(zoneCase.Type == answer.QuestionType, context);
            if (zoneCase.Name == ExampleZone.BigTxtName && transport == DnsTransport.Udp)
            {
                // Larger than dig's 1232 and kdig's 512: Knot truncates and sends no records.
                Assert.True(answer.Truncated, context);
                Assert.True(answer.Answer.Count == 0, context);
                continue;
            }

            Assert.False(answer.Truncated, context);
            var expected = zoneCase.Answer.Order(StringComparer.Ordinal);
            var actual = answer.Answer.Select(r => $"{r.Name.ToLowerInvariant()} {r.Type} {r.Data}").Order(StringComparer.Ordinal);
            Assert.Equal(expected, actual);
            Assert.Equal(
                zoneCase.Answer.Select(a => a.Split(' ')[0] + " " + a.Split(' ')[1]).Distinct(),
                DnsAnswerComparer.RRsets(answer.Answer).Select(s => s.Records[0].Name.ToLowerInvariant() + " " + s.Records[0].Type));
            uint ttl = zoneCase.Name == ExampleZone.ShortTtlName ? 2u : 3600u;
            Assert.All(answer.Answer, r => Assert.Equal(ttl, r.Ttl));
            if (zoneCase.ExpectsSoaInAuthority)
            {
                DigRecord soa = Assert.Single(answer.Authority);
                Assert.Equal(("example.test.", "SOA", ExampleZone.Soa, 300u), (soa.Name, soa.Type, soa.Data, soa.Ttl));
            }
            else
            {
                Assert.Empty(answer.Authority);
            }

            // Comparing a reply with itself finds no difference.
            Assert.Empty(DnsAnswerComparer.Differences(answer, answer));
        }
    }

    [Fact]
    public async Task Knot_MixedCaseQueryWithDig_EchoesQuestionCase()
    {
        DigAnswer answer = await knot.Client(DigTool.Dig).QueryAsync("WwW.ExAmPlE.TeSt.", "A");

        Assert.Equal("WwW.ExAmPlE.TeSt.", answer.QuestionName);
        Assert.Equal(3, answer.Answer.Count);
    }

    [Theory]
    [InlineData(DigTool.Dig)]
    [InlineData(DigTool.Kdig)]
    public async Task Knot_BigTxtOverUdpWithoutEdns_IsTruncatedAndWholeOverTcp(DigTool tool)
    {
        DigClient client = knot.Client(tool);

        DigAnswer udp = await client.QueryAsync(new DigQuery(ExampleZone.BigTxtName, "TXT") { Edns = false });
        DigAnswer tcp = await client.QueryAsync(new DigQuery(ExampleZone.BigTxtName, "TXT") { Transport = DnsTransport.Tcp, Edns = false });

        Assert.True(udp.Truncated, udp.Raw);
        Assert.False(udp.HasEdns, udp.Raw);
        Assert.False(tcp.Truncated, tcp.Raw);
        Assert.Equal(6, tcp.Answer.Count);
        Assert.True(tcp.Answer.Sum(r => r.Data.Length) > 1232, tcp.Raw);
    }

    [Fact]
    public void Comparer_DifferentTtlAndOrder_IsEquivalentButHigherTtlIsNot()
    {
        DigAnswer original = Reply("NOERROR", new DigRecord("a.example.test.", 300, "IN", "A", "192.0.2.1"), new DigRecord("a.example.test.", 300, "IN", "A", "192.0.2.2"));
        DigAnswer reordered = Reply("NOERROR", new DigRecord("A.example.test.", 200, "IN", "A", "192.0.2.2"), new DigRecord("a.example.test.", 200, "IN", "A", "192.0.2.1"));
        DigAnswer higher = Reply("NOERROR", new DigRecord("a.example.test.", 301, "IN", "A", "192.0.2.1"), new DigRecord("a.example.test.", 300, "IN", "A", "192.0.2.2"));
        DigAnswer missing = Reply("NOERROR", new DigRecord("a.example.test.", 300, "IN", "A", "192.0.2.1"));
        DigAnswer servfail = Reply("SERVFAIL");

        Assert.Empty(DnsAnswerComparer.Differences(original, reordered));
        Assert.Single(DnsAnswerComparer.Differences(original, higher));
        Assert.Single(DnsAnswerComparer.Differences(original, missing));
        Assert.Equal(2, DnsAnswerComparer.Differences(original, servfail).Count);
    }

    [Fact]
    public void Parse_NoReply_ReturnsNull()
    {
        const string TimedOut = ";; communications error to 127.0.0.1#9: timed out\n;; no servers could be reached\n";

        Assert.Null(DigClient.Parse(TimedOut));
    }

    private static DigAnswer Reply(string status, params DigRecord[] answer) => new()
    {
        Status = status,
        Id = 1,
        Flags = new HashSet<string> { "qr" },
        Answer = answer,
    };
}
