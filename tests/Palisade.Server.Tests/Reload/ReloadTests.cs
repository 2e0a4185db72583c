using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Protocol;
using Palisade.Server.Configuration;
using Palisade.Server.Transport.Tls;

namespace Palisade.Server.Tests.Reload;

/// <summary>
/// <see cref="PalisadeServer.ReloadAsync"/> on a running server (listening on 127.0.0.1, forwarding to loopback
/// upstreams, no remote lists): the new settings apply to the next query, parts whose settings did not change are kept,
/// settings only a restart applies are reported, and a query in flight finishes in the pipeline it started in.
/// </summary>
public sealed class ReloadTests : IAsyncLifetime, IDisposable
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 40000);

    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-reload-").FullName;
    private readonly LoopbackUpstream _first = new("192.0.2.1");
    private readonly LoopbackUpstream _second = new("192.0.2.2");
    private PalisadeServer? _server;

    private PalisadeServer Server => _server!;

    public async Task InitializeAsync() => _server = await PalisadeServer.StartAsync(Options(), TimeProvider.System, NullLoggerFactory.Instance);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }

    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Reload_DenyRuleAdded_NameBlockedFromTheNextQuery()
    {
        Assert.Equal("192.0.2.1", await AddressAsync("ads.example"));
        Assert.Null(Server.Blocklists);

        var result = await Server.ReloadAsync(Options("blocking:\n  lists: []\n  deny: [\"||ads.example^\"]\n"));

        Assert.Equal(["blocking.deny"], result.Changed);
        Assert.Empty(result.RestartRequired);
        Assert.Equal("0.0.0.0", await AddressAsync("www.ads.example"));
        Assert.Equal("0.0.0.0", await AddressAsync("ads.example"));
        Assert.Equal("192.0.2.1", await AddressAsync("other.example"));
        Assert.NotNull(Server.Blocklists);
        Assert.Equal(["||ads.example^"], Server.Options.Blocking.Deny);
    }

    [Fact]
    public async Task Reload_DenyRuleRemoved_BlocklistsGoAndTheNameResolves()
    {
        await Server.ReloadAsync(Options("blocking:\n  lists: []\n  deny: [\"ads.example\"]\n"));
        Assert.Equal("0.0.0.0", await AddressAsync("ads.example"));

        var result = await Server.ReloadAsync(Options());
        await result.Retired;

        Assert.Null(Server.Blocklists);
        Assert.Equal("192.0.2.1", await AddressAsync("ads.example"));
    }

    [Fact]
    public async Task Reload_UpstreamsChanged_NewQueriesGoToTheNewUpstream()
    {
        Assert.Equal("192.0.2.1", await AddressAsync("a.example"));

        var result = await Server.ReloadAsync(Options(upstream: _second));
        await result.Retired;

        Assert.Equal(["upstreams"], result.Changed);
        Assert.Equal("192.0.2.2", await AddressAsync("b.example"));
        Assert.Equal(1, _first.QueryCount);
        Assert.Equal(1, _second.QueryCount);
    }

    [Fact]
    public async Task Reload_AccessNarrowed_LoopbackClientRefused()
    {
        Assert.Equal(DnsResponseCode.NoError, (await AskAsync("a.example"))!.ResponseCode);

        var result = await Server.ReloadAsync(Options("access:\n  allow: [\"10.0.0.0/8\"]\n"));

        Assert.Equal(["access.allow"], result.Changed);
        Assert.Equal(DnsResponseCode.Refused, (await AskAsync("b.example"))!.ResponseCode);
        Assert.Equal(DnsResponseCode.NoError, (await AskAsync("b.example", new IPEndPoint(IPAddress.Parse("10.1.2.3"), 40000)))!.ResponseCode);
    }

    [Fact]
    public async Task Reload_CacheSettingsUnchanged_WarmCacheKept()
    {
        var cache = Server.Cache;
        Assert.Equal("192.0.2.1", await AddressAsync("warm.example"));

        await Server.ReloadAsync(Options("blocking:\n  lists: []\n  deny: [\"ads.example\"]\n", upstream: _second));

        Assert.Same(cache, Server.Cache);
        Assert.Equal("192.0.2.1", await AddressAsync("warm.example"));
        Assert.Equal(0, _second.QueryCount);
    }

    [Fact]
    public async Task Reload_CacheSettingsChanged_NewEmptyCache()
    {
        var cache = Server.Cache;
        Assert.Equal("192.0.2.1", await AddressAsync("warm.example"));

        var result = await Server.ReloadAsync(Options("cache:\n  maxTtl: 1h\n", upstream: _second));

        Assert.Equal(["upstreams", "cache.maxTtl"], result.Changed);
        Assert.NotSame(cache, Server.Cache);
        Assert.Equal("192.0.2.2", await AddressAsync("warm.example"));
    }

    [Fact]
    public async Task Reload_BlockingUnchanged_BlocklistsKept()
    {
        await Server.ReloadAsync(Options("blocking:\n  lists: []\n  deny: [\"ads.example\"]\n"));
        var blocklists = Server.Blocklists;

        var result = await Server.ReloadAsync(Options("blocking:\n  lists: []\n  deny: [\"ads.example\"]\ncache:\n  maxTtl: 1h\n"));
        await result.Retired;

        Assert.Same(blocklists, Server.Blocklists);
        Assert.Equal("0.0.0.0", await AddressAsync("ads.example"));
    }

    [Fact]
    public async Task Reload_RestartOnlyKeysChanged_ReportedAndNotAppliedWhileLogLevelIs()
    {
        var endPoints = Server.EndPoints;
        var options = Options("log:\n  level: debug\n") with { Listen = [new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.IPv6Loopback, 0)] };

        var result = await Server.ReloadAsync(options with { RateLimit = options.RateLimit with { Burst = 50 } });

        Assert.Equal(["listen", "rateLimit.burst", "log.level"], result.Changed);
        Assert.Equal(["listen"], result.RestartRequired);
        Assert.Equal(["rateLimit.burst", "log.level"], result.Applied);
        Assert.Equal(endPoints, Server.EndPoints);
        Assert.Single(Server.Options.Listen);
        Assert.Equal(LogLevelOption.Debug, Server.Options.Log.Level);
        Assert.Equal(50, Server.Options.RateLimit.Burst);
    }

    [Fact]
    public async Task Reload_SameConfiguration_NothingChangedNothingReplaced()
    {
        var cache = Server.Cache;

        var result = await Server.ReloadAsync(Options());

        Assert.Empty(result.Changed);
        Assert.True(result.Retired.IsCompleted);
        Assert.Same(cache, Server.Cache);
    }

    [Fact]
    public async Task Reload_CertificateFilesBad_ThrowsAndTheConfigurationInForceStays()
    {
        var broken = Options("blocking:\n  lists: []\n  deny: [\"ads.example\"]\n") with
        {
            TlsListen = [new IPEndPoint(IPAddress.Loopback, 0)],
            Tls = new TlsOptions { Certificate = Path.Combine(_directory, "missing.pem"), PrivateKey = Path.Combine(_directory, "missing.key") },
        };

        await Assert.ThrowsAsync<TlsCertificateException>(() => Server.ReloadAsync(broken));

        Assert.Equal(Options(), Server.Options);
        Assert.Equal("192.0.2.1", await AddressAsync("ads.example"));
    }

    [Fact]
    public async Task Reload_QueryInFlight_AnsweredByTheOldUpstreamWhileNewQueriesUseTheNewOne()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _first.Hold = release;
        var arrived = _first.QueryArrived.Task;
        var inFlight = AddressAsync("slow.example");
        await arrived;

        var result = await Server.ReloadAsync(Options(upstream: _second));

        Assert.Equal("192.0.2.2", await AddressAsync("fast.example"));
        Assert.False(inFlight.IsCompleted);
        Assert.False(result.Retired.IsCompleted, "the old upstreams are released only after the query in flight has left");

        release.SetResult();
        Assert.Equal("192.0.2.1", await inFlight);
        await result.Retired;
    }

    [Fact]
    public async Task Reload_TwoAtOnce_BothApplyOneAfterTheOther()
    {
        var first = Server.ReloadAsync(Options("blocking:\n  lists: []\n  deny: [\"one.example\"]\n"));
        var second = Server.ReloadAsync(Options("blocking:\n  lists: []\n  deny: [\"one.example\", \"two.example\"]\n"));
        var results = await Task.WhenAll(first, second);
        await Task.WhenAll(results.Select(r => r.Retired));

        // One after the other: each saw the other's options or the start's, and what is served is what is reported in force.
        Assert.All(results, r => Assert.Equal(["blocking.deny"], r.Changed));
        bool twoBlocked = await AddressAsync("two.example") == "0.0.0.0";
        Assert.Equal(Server.Options.Blocking.Deny.Contains("two.example"), twoBlocked);
        Assert.Equal("0.0.0.0", await AddressAsync("one.example"));
    }

    private PalisadeOptions Options(string extra = "", LoopbackUpstream? upstream = null)
    {
        string yaml = $"""
            upstreams: ["{(upstream ?? _first).Url}"]
            dataDir: "{_directory}"

            """;
        if (!extra.Contains("blocking:", StringComparison.Ordinal))
        {
            yaml += "blocking:\n  lists: []\n";
        }

        // Port 0 cannot be written in a file (no client could find it); the tests read the real one from the server.
        return ConfigurationLoader.LoadFromYaml(yaml + extra, "palisade.yml", new Dictionary<string, string>()) with
        {
            Listen = [new IPEndPoint(IPAddress.Loopback, 0)],
        };
    }

    private async Task<string?> AddressAsync(string name) =>
        (await AskAsync(name))?.Answers.Select(a => a.Data).OfType<ARecordData>().SingleOrDefault()?.Address.ToString();

    private async Task<DnsMessage?> AskAsync(string name, IPEndPoint? client = null)
    {
        var query = new DnsMessage
        {
            Header = new DnsHeader { Id = 7, RecursionDesired = true },
            Questions = { new DnsQuestion(DnsName.Parse(name), DnsRecordType.A) },
        }.ToArray();
        DnsMessage? response = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Server.AnswerHttpsQueryAsync(query, client ?? Loopback, 0, (_, bytes) =>
        {
            response = DnsMessage.Parse(bytes.Span);
            return ValueTask.CompletedTask;
        }, timeout.Token);
        return response;
    }
}
