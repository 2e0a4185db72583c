using System.Net;
using Palisade.Protocol;

namespace Palisade.Tests.Interop;

/// <summary>
/// <c>palisade serve</c> against an upstream whose answers carry records unrelated to the question (a cache poisoning
/// payload): the client, and the cache, get only the question's CNAME chain and in-bailiwick data.
/// </summary>
public sealed class ScrubbingInteropTests
{
    [Fact]
    public async Task Serve_PoisonedUpstreamAnswer_ClientGetsOnlyTheChain()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions { Reply = Poisoned });
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [upstream.UdpUpstream],
            Readiness = PalisadeReadiness.ListeningLine,
        });

        foreach (var transport in new[] { DnsTransport.Udp, DnsTransport.Tcp })
        {
            var answer = await server.Client().QueryAsync("a.example.", "A", transport);

            Assert.True(answer.Status == "NOERROR", answer.Raw);
            Assert.Equal(
                ["a.example. CNAME b.example.", "b.example. A 192.0.2.1"],
                answer.Answer.Select(r => $"{r.Name} {r.Type} {r.Data}"));
            Assert.True(answer.Authority.All(r => r.Name == "example."), answer.Raw);
            Assert.DoesNotContain("victim", answer.Raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("attacker", answer.Raw, StringComparison.OrdinalIgnoreCase);
        }

        // The poisoned name was never cached: asking for it goes to the upstream.
        int before = upstream.QueryCount;
        var victim = await server.Client().QueryAsync("victim.example.", "A");
        Assert.True(upstream.QueryCount > before, server.Describe());
        Assert.Empty(victim.Answer);
    }

    [Fact]
    public async Task Serve_AnswerWithManyNameServersAndGlue_KeepsTheGlueDropsTheRest()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions { Reply = ManyNameServers });
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [upstream.UdpUpstream],
            Readiness = PalisadeReadiness.ListeningLine,
        });

        var answer = await server.Client().QueryAsync("big.example.", "A", DnsTransport.Tcp);

        Assert.True(answer.Status == "NOERROR", answer.Raw);
        Assert.Equal(["big.example. A 192.0.2.1"], answer.Answer.Select(r => $"{r.Name} {r.Type} {r.Data}"));
        Assert.Equal(ManyCount, answer.Authority.Count(r => r.Type == "NS" && r.Name == "example."));
        Assert.Equal(
            Enumerable.Range(0, ManyCount / 2).Select(i => $"ns{2 * i}.example."),
            answer.Additional.Select(r => r.Name));
        Assert.DoesNotContain("junk", answer.Raw, StringComparison.OrdinalIgnoreCase);
    }

    private const int ManyCount = 90;

    /// <summary>
    /// For big.example: its address; in the authority 90 NS records of example (more than the scrubber's glue table
    /// holds on the stack); in the additional the addresses of every other one of them, each after an address of a
    /// name no record points to.
    /// </summary>
    private static byte[]? ManyNameServers(byte[] queryWire)
    {
        var query = DnsMessage.Parse(queryWire);
        var response = DnsResponseFactory.CreateResponse(query);
        response.Answers.Add(new DnsResourceRecord(query.Questions[0].Name, 300, new ARecordData(IPAddress.Parse("192.0.2.1"))));
        for (int i = 0; i < ManyCount; i++)
        {
            response.Authorities.Add(new DnsResourceRecord(DnsName.Parse("example"), 300, new NsRecordData(DnsName.Parse($"ns{i}.example"))));
        }

        for (int i = 0; i < ManyCount; i += 2)
        {
            response.Additionals.Add(new DnsResourceRecord(DnsName.Parse($"junk{i}.example"), 300, new ARecordData(IPAddress.Parse("203.0.113.9"))));
            response.Additionals.Add(new DnsResourceRecord(DnsName.Parse($"ns{i}.example"), 300, new ARecordData(IPAddress.Parse("192.0.2.53"))));
        }

        return response.ToArray();
    }

    /// <summary>
    /// For a.example: the chain a.example CNAME b.example, b.example A 192.0.2.1, with victim.example A 203.0.113.66 among
    /// them, an out-of-bailiwick NS for victim.example and glue for it; NOERROR with no records for any other name.
    /// </summary>
    private static byte[]? Poisoned(byte[] queryWire)
    {
        var query = DnsMessage.Parse(queryWire);
        var response = DnsResponseFactory.CreateResponse(query);
        if (!query.Questions[0].Name.Equals(DnsName.Parse("a.example")))
        {
            return response.ToArray();
        }

        response.Answers.Add(new DnsResourceRecord(DnsName.Parse("a.example"), 300, new CnameRecordData(DnsName.Parse("b.example"))));
        response.Answers.Add(new DnsResourceRecord(DnsName.Parse("victim.example"), 300, new ARecordData(IPAddress.Parse("203.0.113.66"))));
        response.Answers.Add(new DnsResourceRecord(DnsName.Parse("b.example"), 300, new ARecordData(IPAddress.Parse("192.0.2.1"))));
        response.Authorities.Add(new DnsResourceRecord(DnsName.Parse("victim.example"), 300, new NsRecordData(DnsName.Parse("ns.attacker.example"))));
        response.Authorities.Add(new DnsResourceRecord(DnsName.Parse("example"), 300, new NsRecordData(DnsName.Parse("ns.example"))));
        response.Additionals.Add(new DnsResourceRecord(DnsName.Parse("ns.attacker.example"), 300, new ARecordData(IPAddress.Parse("203.0.113.53"))));
        response.Additionals.Add(new DnsResourceRecord(DnsName.Parse("ns.example"), 300, new ARecordData(IPAddress.Parse("192.0.2.53"))));
        return response.ToArray();
    }
}
