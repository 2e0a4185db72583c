namespace Palisade.Tests.Interop;

/// <summary>
/// DNS rebinding protection and the RFC 8482 answer to ANY, through <c>palisade serve</c> with Knot DNS as the upstream,
/// asked by dig and kdig. Knot's zone has <c>rebind</c> (A 192.168.1.10), <c>rebind6</c> (AAAA fd00::1),
/// <c>rebindsvc</c> (HTTPS with ipv4hint 10.0.0.1) and <c>svc</c> (HTTPS with TEST-NET hints).
/// </summary>
public sealed class RebindingInteropTests(KnotFixture knot) : IClassFixture<KnotFixture>
{
    public static TheoryData<string, string, string> PrivateAnswers { get; } = new()
    {
        { "rebind.example.test.", "A", "192.168.1.10" },
        { "rebind6.example.test.", "AAAA", "fd00::1" },
        { "rebindsvc.example.test.", "HTTPS", "ipv4hint=10.0.0.1" },
    };

    [Theory]
    [MemberData(nameof(PrivateAnswers))]
    public async Task Serve_PrivateAddressFromUpstream_AnsweredWithNoRecordsAndEde15(string name, string type, string data)
    {
        // Knot really does hold the private address.
        Assert.Contains(data, Assert.Single((await knot.Client().QueryAsync(name, type)).Answer).Data, StringComparison.Ordinal);

        await using var server = await StartAsync("log:\n  level: debug\n");
        foreach (var transport in new[] { DnsTransport.Udp, DnsTransport.Tcp })
        {
            var answer = await server.Client().QueryAsync(name, type, transport);
            Assert.True(answer.Status == "NOERROR", answer.Raw);
            Assert.True(answer.Answer.Count == 0, answer.Raw);
            Assert.Empty(answer.Authority);
            Assert.Equal(name, answer.QuestionName);
            Assert.True(answer.RecursionAvailable, answer.Raw);
            Assert.Contains("EDE: 15", answer.Raw, StringComparison.Ordinal);
        }

        // And again, now that the cache has had its chance: what was stopped was never stored.
        var again = await server.Client(DigTool.Kdig).QueryAsync(name, type);
        Assert.True(again.Answer.Count == 0, again.Raw);
        Assert.Contains($"Rebinding protection: the answer for {name}", server.Output, StringComparison.Ordinal);

        // The first stopped answer leaves a summary at info at once; the others wait for the end of the minute.
        string summary = $"info: Palisade.Server.Handlers.Rebinding.RebindingSummary[511] Rebinding protection stopped 1 answer (first: {name.TrimEnd('.')} → ";
        Assert.True(await OutputLines.AppearsAsync(() => server.Output, summary), server.Describe());
        Assert.Contains("allow the name with security.rebindingAllow or forward the domain", server.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example.test.", "A", "192.0.2.1")]
    [InlineData("v6.example.test.", "AAAA", "2001:db8::1")]
    [InlineData("www.example.test.", "A", "192.0.2.10")]
    [InlineData("svc.example.test.", "HTTPS", "ipv4hint=192.0.2.80")]
    public async Task Serve_PublicAddress_Answered(string name, string type, string data)
    {
        await using var server = await StartAsync(string.Empty);

        var answer = await server.Client().QueryAsync(name, type);

        Assert.True(answer.Status == "NOERROR", answer.Raw);
        Assert.Contains(answer.Answer, r => r.Data.Contains(data, StringComparison.Ordinal));
        Assert.DoesNotContain("EDE", answer.Raw, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("security:\n  rebindingAllow: [\"example.test\"]\n")]
    [InlineData("security:\n  rebindingAllow: [\"Rebind.Example.Test.\", \"rebind6.example.test\", \"rebindsvc.example.test\"]\n")]
    [InlineData("security:\n  rebindingProtection: false\n")]
    public async Task Serve_AllowedOrProtectionOff_KnotsAnswerPassedOn(string config)
    {
        await using var server = await StartAsync(config);
        var client = server.Client();

        foreach (var row in PrivateAnswers)
        {
            string name = (string)row[0];
            string type = (string)row[1];
            string data = (string)row[2];
            var answer = await client.QueryAsync(name, type);
            Assert.True(answer.Status == "NOERROR", answer.Raw);
            Assert.Contains(data, Assert.Single(answer.Answer).Data, StringComparison.Ordinal);
            Assert.Empty(DnsAnswerComparer.Differences(await knot.Client().QueryAsync(name, type), answer));
        }
    }

    [Fact]
    public async Task Serve_OwnBlockedAnswer0000_NotTakenForRebinding()
    {
        await using var server = await StartAsync("blocking:\n  deny: [\"host.example.test\"]\n  lists: []\n");

        var answer = await server.Client().QueryAsync("host.example.test.", "A");

        Assert.Equal("0.0.0.0", Assert.Single(answer.Answer).Data);
        Assert.DoesNotContain("Rebinding protection", server.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DigTool.Dig, DnsTransport.Udp)]
    [InlineData(DigTool.Dig, DnsTransport.Tcp)]
    [InlineData(DigTool.Kdig, DnsTransport.Udp)]
    [InlineData(DigTool.Kdig, DnsTransport.Tcp)]
    public async Task Serve_Any_GetsTheRfc8482Hinfo(DigTool tool, DnsTransport transport)
    {
        await using var server = await StartAsync(string.Empty);

        var answer = await server.Client(tool).QueryAsync("Example.Test.", "ANY", transport);

        Assert.True(answer.Status == "NOERROR", answer.Raw);
        Assert.Equal("Example.Test.", answer.QuestionName, ignoreCase: tool == DigTool.Kdig);
        var hinfo = Assert.Single(answer.Answer);
        Assert.Equal(("example.test.", "HINFO", "\"RFC8482\" \"\"", 3600u), (hinfo.Name.ToLowerInvariant(), hinfo.Type, hinfo.Data, hinfo.Ttl));
        Assert.Empty(answer.Authority);
    }

    [Fact]
    public async Task Serve_Any_NeverForwarded()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.Answer);
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [upstream.UdpUpstream],
            Readiness = PalisadeReadiness.ListeningLine,
        });

        var udp = await server.Client().QueryAsync("anything.test.", "ANY");
        var tcp = await server.Client().QueryAsync("anything.test.", "ANY", DnsTransport.Tcp);

        Assert.Equal("HINFO", Assert.Single(udp.Answer).Type);
        Assert.Equal("HINFO", Assert.Single(tcp.Answer).Type);
        Assert.Equal(0, upstream.QueryCount);
    }

    [Fact]
    public async Task Serve_AnyForBlockedName_StaysBlocked()
    {
        await using var server = await StartAsync("blocking:\n  deny: [\"host.example.test\"]\n  lists: []\n  response: nxdomain\n");

        var answer = await server.Client().QueryAsync("host.example.test.", "ANY");

        Assert.Equal("NXDOMAIN", answer.Status);
        Assert.Contains("EDE: 15", answer.Raw, StringComparison.Ordinal);
    }

    private Task<PalisadeServer> StartAsync(string config) => PalisadeServer.StartAsync(new PalisadeServerOptions
    {
        Upstreams = [knot.UdpUpstream],
        ConfigText = config,
    });
}
