using System.Diagnostics;
using System.Net;

namespace Palisade.Tests.Interop;

/// <summary>
/// palisade serve against real peers: dig and kdig as clients, Knot DNS as the upstream. Each answer through palisade must
/// equal Knot's own (status, RRsets, authority SOA for negative answers; TTLs never above Knot's).
/// </summary>
[Trait("Category", "Interop")]
public sealed class PalisadeInteropTests(PalisadeOverKnotFixture fixture) : IClassFixture<PalisadeOverKnotFixture>
{
    /// <summary>Every zone question × UDP/TCP × dig/kdig. The big TXT over UDP is left to the truncation tests.</summary>
    public static TheoryData<DigTool, DnsTransport, string, string> ZoneQuestions()
    {
        var data = new TheoryData<DigTool, DnsTransport, string, string>();
        foreach (DigTool tool in new[] { DigTool.Dig, DigTool.Kdig })
        {
            foreach (DnsTransport transport in new[] { DnsTransport.Udp, DnsTransport.Tcp })
            {
                foreach (ZoneCase zoneCase in ExampleZone.Cases)
                {
                    if (zoneCase.Name == ExampleZone.BigTxtName && transport == DnsTransport.Udp)
                    {
                        continue;
                    }

                    data.Add(tool, transport, zoneCase.Name, zoneCase.Type);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ZoneQuestions))]
    public async Task Serve_ZoneQuestion_AnswersLikeKnot(DigTool tool, DnsTransport transport, string name, string type)
    {
        var query = new DigQuery(name, type) { Transport = transport };

        DigAnswer direct = await fixture.Knot.Client(tool).QueryAsync(query);
        DigAnswer forwarded = await fixture.Server.Client(tool).QueryAsync(query);

        DnsAnswerComparer.AssertEquivalent(direct, forwarded);
        Assert.True(forwarded.Flags.Contains("qr"), forwarded.Raw);
        Assert.True(forwarded.RecursionAvailable, "a forwarder sets RA:\n" + forwarded.Raw);
        Assert.False(forwarded.Authoritative, "a forwarder is not authoritative for what it passes on:\n" + forwarded.Raw);
        Assert.True(name.Equals(forwarded.QuestionName, StringComparison.OrdinalIgnoreCase), forwarded.Raw);
        Assert.Equal(type, forwarded.QuestionType);
    }

    [Theory]
    [InlineData(DigTool.Dig)]
    [InlineData(DigTool.Kdig)]
    public async Task Serve_BigTxtOverUdpWithoutEdns_SetsTruncated(DigTool tool)
    {
        DigAnswer answer = await fixture.Server.Client(tool).QueryAsync(new DigQuery(ExampleZone.BigTxtName, "TXT") { Edns = false });

        Assert.True(answer.Truncated, answer.Raw);
        Assert.Equal("NOERROR", answer.Status);
        Assert.False(answer.HasEdns, answer.Raw);
    }

    [Theory]
    [InlineData(DigTool.Dig, false)]
    [InlineData(DigTool.Dig, true)]
    [InlineData(DigTool.Kdig, false)]
    [InlineData(DigTool.Kdig, true)]
    public async Task Serve_BigTxtOverTcp_ReturnsWholeRRset(DigTool tool, bool edns)
    {
        var query = new DigQuery(ExampleZone.BigTxtName, "TXT") { Transport = DnsTransport.Tcp, Edns = edns };

        DigAnswer direct = await fixture.Knot.Client(tool).QueryAsync(query);
        DigAnswer forwarded = await fixture.Server.Client(tool).QueryAsync(query);

        Assert.False(forwarded.Truncated, forwarded.Raw);
        Assert.Equal(6, forwarded.Answer.Count);
        DnsAnswerComparer.AssertEquivalent(direct, forwarded);
    }

    [Theory]
    [InlineData(DnsTransport.Udp)]
    [InlineData(DnsTransport.Tcp)]
    public async Task Serve_MixedCaseName_EchoesQuestionExactly(DnsTransport transport)
    {
        // dig sends the name as typed (kdig would lower-case it). Ask twice: the second comes from the cache.
        const string Name = "WwW.ExAmPlE.TeSt.";
        var query = new DigQuery(Name, "A") { Transport = transport };
        DigAnswer direct = await fixture.Knot.Client().QueryAsync(query);

        DigAnswer first = await fixture.Server.Client().QueryAsync(query);
        DigAnswer second = await fixture.Server.Client().QueryAsync(query);

        Assert.Equal(Name, first.QuestionName);
        Assert.Equal(Name, second.QuestionName);
        DnsAnswerComparer.AssertEquivalent(direct, first);
        DnsAnswerComparer.AssertEquivalent(direct, second);
        Assert.Equal("www.example.test.", first.Answer[0].Name.ToLowerInvariant());
    }

    [Fact]
    public async Task Serve_RepeatedShortTtlQuery_AnswersFromCacheWithLowerTtl()
    {
        // A palisade of its own, so that no earlier test has cached short.example.test.
        await using PalisadeServer server = await PalisadeServer.StartAsync(fixture.ServerOptions);
        DigClient client = server.Client();
        var query = new DigQuery(ExampleZone.ShortTtlName, "A");

        DigAnswer first = await client.QueryAsync(query);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        DigAnswer second = await client.QueryAsync(query);

        DigRecord firstRecord = Assert.Single(first.Answer);
        DigRecord secondRecord = Assert.Single(second.Answer);
        Assert.Equal("192.0.2.99", secondRecord.Data);
        Assert.True(firstRecord.Ttl <= 2, first.Raw);

        // Still cached (2 s TTL, about 1.1 s later), so counted down below Knot's 2; a fresh fetch would say 2 again.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.9), "the second query came too late to be sure it hit the cache");
        Assert.True(secondRecord.Ttl <= firstRecord.Ttl, $"first:\n{first.Raw}\nsecond:\n{second.Raw}");
        Assert.True(secondRecord.Ttl < 2, $"the second answer should come from the cache with a lower TTL:\n{second.Raw}");
    }

    [Fact]
    public async Task Serve_RepeatedQuery_ForwardsOnce()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions { Address = IPAddress.Parse("192.0.2.123"), Ttl = 300 });
        await using PalisadeServer server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [upstream.UdpUpstream],
            Readiness = PalisadeReadiness.ListeningLine,
        });
        DigClient client = server.Client();

        DigAnswer first = await client.QueryAsync("cached.test.", "A");
        DigAnswer second = await client.QueryAsync("cached.test.", "A");

        Assert.Equal("192.0.2.123", Assert.Single(first.Answer).Data);
        Assert.Equal("192.0.2.123", Assert.Single(second.Answer).Data);
        Assert.Equal(1, upstream.QueryCount);
    }

    [Theory]
    [InlineData(Posix.SigTerm)]
    [InlineData(Posix.SigInt)]
    public async Task Serve_Signal_ExitsZero(int signal)
    {
        await using PalisadeServer server = await PalisadeServer.StartAsync(fixture.ServerOptions);

        int exitCode = await server.StopAsync(signal);

        Assert.False(server.WasKilled, server.Describe());
        Assert.True(exitCode == 0, server.Describe());
    }

    [Theory]
    [InlineData(DnsTransport.Udp)]
    [InlineData(DnsTransport.Tcp)]
    public async Task Serve_Ipv4AndIpv6Listeners_BothAnswer(DnsTransport transport)
    {
        int port = FreePort.Pick();
        await using PalisadeServer server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [fixture.Knot.UdpUpstream],
            Listen = [$"127.0.0.1:{port}", $"[::1]:{port}"],
        });

        foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
        {
            var answer = await new DigClient(DigTool.Dig, address, port).QueryAsync(new DigQuery("host.example.test.", "A") { Transport = transport });
            Assert.Equal("192.0.2.10", Assert.Single(answer.Answer).Data);
        }
    }
}
