using System.Net;

namespace Palisade.Tests.Interop;

/// <summary>
/// SIGHUP through the real program, answering dig, with loopback fake upstreams: a broken configuration changes nothing
/// and the log says why; a good one applies to the next query; a query in flight during a reload still gets its answer.
/// </summary>
public sealed class ReloadInteropTests
{
    [Fact]
    public async Task Sighup_BrokenConfig_LogSaysWhyAndTheOldConfigStays()
    {
        await using var first = Answering("192.0.2.1");
        await using var second = Answering("192.0.2.2");
        await using var server = await StartAsync(Config(first, "blocked.test"));
        var client = server.Client();
        Assert.Equal(["0.0.0.0"], await AddressesAsync(client, "blocked.test."));

        // A misspelt key on line 4, reported as `palisade check` reports it: file, line, key.
        await server.RewriteConfigAsync($"upstreams: [\"{second.UdpUpstream}\"]\nblocking:\n  lists: []\ncahce:\n  maxSize: 1MB\n");
        string output = await server.ReloadAsync("Configuration not reloaded");
        string line = Assert.Single(output.Split('\n'), l => l.Contains("Configuration not reloaded", StringComparison.Ordinal));
        Assert.Contains($"{server.ConfigPath}:4: unknown key 'cahce' (did you mean 'cache'?)", line, StringComparison.Ordinal);

        Assert.Equal(["0.0.0.0"], await AddressesAsync(client, "blocked.test."));
        Assert.Equal(["192.0.2.1"], await AddressesAsync(client, "after-broken.test."));

        File.Delete(server.ConfigPath);
        output = await server.ReloadAsync("Configuration not reloaded");
        Assert.Contains("the configuration file does not exist", output, StringComparison.Ordinal);
        Assert.Equal(["0.0.0.0"], await AddressesAsync(client, "blocked.test."));
        Assert.Equal(["192.0.2.1"], await AddressesAsync(client, "after-missing.test."));
        Assert.Equal(0, second.QueryCount);
        Assert.False(server.HasExited);
    }

    [Fact]
    public async Task Sighup_GoodConfig_NewDenyRuleUpstreamAndLogLevelApplyAndRestartOnlyKeyIsReported()
    {
        await using var first = Answering("192.0.2.1");
        await using var second = Answering("192.0.2.2");
        await using var server = await StartAsync(Config(first));
        var client = server.Client();
        Assert.Equal(["192.0.2.1"], await AddressesAsync(client, "ads.test."));

        // The certificate pair is only read when something serves TLS: here it is a restart-only change and nothing more.
        await server.RewriteConfigAsync(Config(second, "||ads.test^") + "log:\n  level: debug\ntls:\n  certificate: /nonexistent/cert.pem\n  privateKey: /nonexistent/key.pem\n");
        string output = await server.ReloadAsync("Configuration reloaded");

        Assert.Contains("3 settings changed: upstreams, blocking.deny, log.level", output, StringComparison.Ordinal);
        Assert.Contains("Configuration key 'tls.certificate' changed; it takes effect at the next restart", output, StringComparison.Ordinal);
        Assert.DoesNotContain("'log.level' changed", output, StringComparison.Ordinal);
        Assert.Equal(["0.0.0.0"], await AddressesAsync(client, "ads.test."));
        Assert.Equal(["0.0.0.0"], await AddressesAsync(client, "www.ads.test."));
        Assert.Equal(["192.0.2.2"], await AddressesAsync(client, "other.test."));
    }

    [Fact]
    public async Task Sighup_LogLevelDebug_TheNextQueryLogsItsDebugLineAndInfoStopsThemAgain()
    {
        await using var upstream = Answering("192.0.2.1");
        await using var server = await StartAsync(Config(upstream) + "log:\n  level: info\n");
        var client = server.Client();
        Assert.Equal(["192.0.2.1"], await AddressesAsync(client, "at-info.test."));

        await server.RewriteConfigAsync(Config(upstream) + "log:\n  level: debug\n");
        string output = await server.ReloadAsync("Configuration reloaded");
        Assert.Contains("1 setting changed: log.level", output, StringComparison.Ordinal);
        Assert.Equal(["192.0.2.1"], await AddressesAsync(client, "at-debug.test."));
        await WaitForOutputAsync(server, "at-debug.test. A -> ");

        await server.RewriteConfigAsync(Config(upstream) + "log:\n  level: info\n");
        await server.ReloadAsync("Configuration reloaded");
        Assert.Equal(["192.0.2.1"], await AddressesAsync(client, "at-info-again.test."));

        // The line of a query is written before its reply is sent (QueryDispatcher), so by now it would be there.
        await server.StopAsync();
        Assert.DoesNotContain("at-info.test. A -> ", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("at-info-again.test. A -> ", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sighup_QueryInFlight_StillAnswered()
    {
        await using var second = Answering("192.0.2.2");
        await using var slow = new FakeUpstream(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions
        {
            Address = IPAddress.Parse("192.0.2.3"),
            Delay = TimeSpan.FromSeconds(2),
        });
        await using var server = await StartAsync(Config(slow), PalisadeReadiness.ListeningLine);
        var client = server.Client();

        var inFlight = client.QueryAsync(new DigQuery("slow.test.", "A") { Timeout = TimeSpan.FromSeconds(5) });
        Assert.True(await slow.WaitForQueriesAsync(1, TimeSpan.FromSeconds(5)), server.Describe());

        await server.RewriteConfigAsync(Config(second));
        await server.ReloadAsync("Configuration reloaded");
        Assert.False(inFlight.IsCompleted, "the slow upstream was to answer after the reload");
        Assert.Equal(["192.0.2.2"], await AddressesAsync(client, "fast.test."));

        var answer = await inFlight;
        Assert.Equal("NOERROR", answer.Status);
        Assert.Equal(["192.0.2.3"], answer.Answer.Where(r => r.Type == "A").Select(r => r.Data));
    }

    private static async Task WaitForOutputAsync(PalisadeServer server, string expected)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!server.Output.Contains(expected, StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"no '{expected}' in the output.\n{server.Describe()}");
            await Task.Delay(50);
        }
    }

    private static FakeUpstream Answering(string address) =>
        new(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions { Address = IPAddress.Parse(address) });

    private static Task<PalisadeServer> StartAsync(string config, PalisadeReadiness readiness = PalisadeReadiness.Query) =>
        PalisadeServer.StartAsync(new PalisadeServerOptions { ConfigText = config, Readiness = readiness });

    /// <summary>A configuration forwarding to <paramref name="upstream"/> only, with no lists and the given deny rules.</summary>
    private static string Config(FakeUpstream upstream, params string[] deny) =>
        $"upstreams: [\"{upstream.UdpUpstream}\"]\nblocking:\n  lists: []\n  deny: [{string.Join(", ", deny.Select(d => $"\"{d}\""))}]\n";

    private static async Task<IReadOnlyList<string>> AddressesAsync(DigClient client, string name) =>
        [.. (await client.QueryAsync(name, "A")).Answer.Where(r => r.Type == "A").Select(r => r.Data)];
}
