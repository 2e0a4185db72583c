namespace Palisade.Tests.Interop;

/// <summary>Blocking through <c>palisade serve</c>, asked by dig, with Knot DNS as the upstream and list files written by the test.</summary>
public sealed class BlockingInteropTests(KnotFixture knot) : IClassFixture<KnotFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-blocking-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Serve_ListedNames_BlockedWithNullIpAndEde15_OthersForwarded()
    {
        string list = WriteList("ads.txt", "0.0.0.0 host.example.test", "||web.example.test^", "@@||ok.web.example.test^");
        await using var server = await StartAsync($"blocking:\n  lists: [\"{list}\"]\n");
        var client = server.Client();

        var a = await client.QueryAsync("host.example.test.", "A");
        Assert.Equal("0.0.0.0", Assert.Single(a.Answer).Data);
        Assert.Contains("EDE: 15", a.Raw, StringComparison.Ordinal);
        Assert.Equal(10u, a.Answer[0].Ttl);

        var aaaa = await client.QueryAsync("host.example.test.", "AAAA");
        Assert.Equal("::", Assert.Single(aaaa.Answer).Data);

        var mx = await client.QueryAsync("host.example.test.", "MX");
        Assert.Equal("NOERROR", mx.Status);
        Assert.Empty(mx.Answer);

        // Not listed: forwarded to Knot.
        var apex = await client.QueryAsync("example.test.", "A");
        Assert.NotEqual("0.0.0.0", Assert.Single(apex.Answer).Data);
    }

    [Fact]
    public async Task Serve_CnameToListedName_Blocked()
    {
        // www.example.test is a CNAME to web.example.test, then host.example.test: blocking host blocks www.
        string list = WriteList("cname.txt", "||host.example.test^");
        await using var server = await StartAsync($"blocking:\n  lists: [\"{list}\"]\n");
        var answer = await server.Client().QueryAsync("www.example.test.", "A");
        Assert.Equal("0.0.0.0", Assert.Single(answer.Answer).Data);
    }

    [Fact]
    public async Task Serve_CnameInspectionOff_ChainAnswered()
    {
        string list = WriteList("cname.txt", "||host.example.test^");
        await using var server = await StartAsync($"blocking:\n  lists: [\"{list}\"]\n  cnameInspection: false\n");
        var answer = await server.Client().QueryAsync("www.example.test.", "A");
        Assert.Contains(answer.Answer, r => r.Type == "CNAME");
    }

    [Theory]
    [InlineData("nxdomain", "NXDOMAIN")]
    [InlineData("refused", "REFUSED")]
    public async Task Serve_ResponseModes(string mode, string status)
    {
        string list = WriteList("modes.txt", "host.example.test");
        await using var server = await StartAsync($"blocking:\n  lists: [\"{list}\"]\n  response: {mode}\n");
        var answer = await server.Client().QueryAsync("host.example.test.", "A");
        Assert.Equal(status, answer.Status);
        if (mode == "nxdomain")
        {
            Assert.Contains(answer.Authority, r => r.Type == "SOA");
        }
    }

    [Fact]
    public async Task Serve_AllowListAndImportant_FollowTheSemantics()
    {
        string block = WriteList("block.txt", "||example.test^", "||mail.example.test^$important");
        string allow = WriteList("allow.txt", "multi.example.test", "mail.example.test");
        await using var server = await StartAsync($"blocking:\n  lists: [\"{block}\"]\n  allowLists: [\"{allow}\"]\n");
        var client = server.Client();

        Assert.Equal("0.0.0.0", Assert.Single((await client.QueryAsync("v6.example.test.", "A")).Answer).Data);
        Assert.DoesNotContain((await client.QueryAsync("multi.example.test.", "A")).Answer, r => r.Data == "0.0.0.0");
        Assert.Equal("0.0.0.0", Assert.Single((await client.QueryAsync("mail.example.test.", "A")).Answer).Data);
    }

    [Fact]
    public async Task Check_ListedName_SaysRuleListAndLine()
    {
        string list = WriteList("check.txt", "# a comment", "||tracker.test^");
        string config = Path.Combine(_directory, "check.yml");
        await File.WriteAllTextAsync(config, $"dataDir: \"{_directory}/data\"\nblocking:\n  lists: [\"{list}\"]\n");

        var blocked = PalisadeProcess.Run("check", "deep.tracker.test", "--config", config);
        Assert.Equal(1, blocked.ExitCode);
        Assert.Contains("BLOCKED", blocked.Output, StringComparison.Ordinal);
        Assert.Contains("line 2", blocked.Output, StringComparison.Ordinal);
        Assert.Contains("check.txt", blocked.Output, StringComparison.Ordinal);

        var clean = PalisadeProcess.Run("check", "clean.test", "--config", config);
        Assert.Equal(0, clean.ExitCode);
        Assert.Contains("not listed", clean.Output, StringComparison.Ordinal);
    }

    private string WriteList(string name, params string[] lines)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private Task<PalisadeServer> StartAsync(string blockingConfig) => PalisadeServer.StartAsync(new PalisadeServerOptions
    {
        Upstreams = [knot.UdpUpstream],
        ConfigText = blockingConfig,
    });
}
