using System.Net;
using Palisade.Server.Configuration;
using static Palisade.Server.Tests.Configuration.ConfigurationTestHelpers;

namespace Palisade.Server.Tests.Configuration;

public sealed class ConfigurationLoaderTests
{
    private const string EveryKey = """
        listen:
          - 127.0.0.1:5353
          - "[::1]:5353"
        upstreams:
          - 192.0.2.1
          - udp://192.0.2.2:5300
          - tcp://192.0.2.3
          - "[2001:db8::1]:853"
        upstreamStrategy: roundRobin
        upstreamTimeout: 1500ms
        cache:
          maxSize: 64MiB
          minTtl: 30s
          maxTtl: 12h
          negativeMaxTtl: 5m
          serveStale: false
          staleMaxAge: 2h
          prefetch: false
        log:
          level: debug
        """;

    [Fact]
    public void EveryKey_IsReadFromYaml()
    {
        var options = Load(EveryKey);

        Assert.Equal([IPEndPoint.Parse("127.0.0.1:5353"), IPEndPoint.Parse("[::1]:5353")], options.Listen);
        Assert.Equal(
            [
                new UpstreamOptions(UpstreamProtocol.Udp, IPEndPoint.Parse("192.0.2.1:53")),
                new UpstreamOptions(UpstreamProtocol.Udp, IPEndPoint.Parse("192.0.2.2:5300")),
                new UpstreamOptions(UpstreamProtocol.Tcp, IPEndPoint.Parse("192.0.2.3:53")),
                new UpstreamOptions(UpstreamProtocol.Udp, IPEndPoint.Parse("[2001:db8::1]:853")),
            ],
            options.Upstreams);
        Assert.Equal(UpstreamStrategy.RoundRobin, options.UpstreamStrategy);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.UpstreamTimeout);
        Assert.Equal(
            new CacheOptions
            {
                MaxSize = 64 * 1024 * 1024,
                MinTtl = TimeSpan.FromSeconds(30),
                MaxTtl = TimeSpan.FromHours(12),
                NegativeMaxTtl = TimeSpan.FromMinutes(5),
                ServeStale = false,
                StaleMaxAge = TimeSpan.FromHours(2),
                Prefetch = false,
            },
            options.Cache);
        Assert.Equal(LogLevelOption.Debug, options.Log.Level);
    }

    [Fact]
    public void FlowStyleLists_AreRead()
    {
        var options = Load("""listen: ["127.0.0.1:5353", "[::1]:5353"]""");
        Assert.Equal(["127.0.0.1:5353", "[::1]:5353"], options.Listen.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n\n   # and another\n")]
    [InlineData("---\n")]
    [InlineData("cache:\nlog:\n")]
    public void EmptyFile_GivesTheDefaults(string yaml)
    {
        AssertDefaults(Load(yaml));
    }

    [Fact]
    public void NoFile_GivesTheDefaults()
    {
        AssertDefaults(ConfigurationLoader.Load(null, NoEnvironment));
    }

    [Fact]
    public void EveryDefault_IsTheDocumentedOne()
    {
        var options = Load(string.Empty);

        Assert.Equal(["0.0.0.0:53", "[::]:53"], options.Listen.Select(e => e.ToString()));
        Assert.Equal(
            ["tls://9.9.9.9:853#dns.quad9.net", "tls://149.112.112.112:853#dns.quad9.net", "https://dns.quad9.net:443/dns-query"],
            options.Upstreams.Select(u => u.ToString()));
        Assert.All(options.Upstreams, u => Assert.True(u.IsEncrypted));
        Assert.Equal(["9.9.9.9:53", "149.112.112.112:53"], options.Bootstrap.Select(e => e.ToString()));
        Assert.Empty(options.TlsListen);
        Assert.Empty(options.HttpsListen);
        Assert.Null(options.Tls.Certificate);
        Assert.Null(options.Tls.PrivateKey);
        Assert.Equal(UpstreamStrategy.Fastest, options.UpstreamStrategy);
        Assert.Equal(TimeSpan.FromSeconds(3), options.UpstreamTimeout);
        Assert.Equal(200_000_000, options.Cache.MaxSize);
        Assert.Equal(TimeSpan.Zero, options.Cache.MinTtl);
        Assert.Equal(TimeSpan.FromDays(1), options.Cache.MaxTtl);
        Assert.Equal(TimeSpan.FromHours(1), options.Cache.NegativeMaxTtl);
        Assert.True(options.Cache.ServeStale);
        Assert.Equal(TimeSpan.FromDays(1), options.Cache.StaleMaxAge);
        Assert.True(options.Cache.Prefetch);
        Assert.Equal(LogLevelOption.Info, options.Log.Level);
    }

    [Fact]
    public void CacheMaxSizeZero_TurnsTheCacheOff()
    {
        Assert.Equal(0, Load("cache:\n  maxSize: 0\n").Cache.MaxSize);
    }

    [Theory]
    [InlineData("fastest", UpstreamStrategy.Fastest)]
    [InlineData("parallel", UpstreamStrategy.Parallel)]
    [InlineData("roundRobin", UpstreamStrategy.RoundRobin)]
    [InlineData("RoundRobin", UpstreamStrategy.RoundRobin)]
    public void UpstreamStrategy_Values(string text, UpstreamStrategy expected)
    {
        Assert.Equal(expected, Load($"upstreamStrategy: {text}").UpstreamStrategy);
    }

    [Theory]
    [InlineData("debug", LogLevelOption.Debug)]
    [InlineData("info", LogLevelOption.Info)]
    [InlineData("warning", LogLevelOption.Warning)]
    [InlineData("error", LogLevelOption.Error)]
    public void LogLevel_Values(string text, LogLevelOption expected)
    {
        Assert.Equal(expected, Load($"log:\n  level: {text}").Log.Level);
    }

    // ---- errors from the file: one line, file:line, key, what is wrong ----

    [Fact]
    public void UnknownTopLevelKey_IsReportedWithLineAndSuggestion()
    {
        var e = Error("listen: [\"127.0.0.1:5353\"]\n\ncahce:\n  maxSize: 1MB\n");
        Assert.Equal("palisade.yml:3: unknown key 'cahce' (did you mean 'cache'?)", e.Message);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void UnknownNestedKey_IsReportedWithItsPathAndSuggestion()
    {
        var e = Error("cache:\n  serveStale: true\n  maxsize: 1MB\n");
        Assert.Equal("palisade.yml:3: unknown key 'cache.maxsize' (did you mean 'cache.maxSize'?)", e.Message);
    }

    [Fact]
    public void KeyInTheWrongSection_SuggestsWhereItBelongs()
    {
        var e = Error("maxSize: 1MB\n");
        Assert.Equal("palisade.yml:1: unknown key 'maxSize' (did you mean 'cache.maxSize'?)", e.Message);
    }

    [Fact]
    public void UnknownKeyWithNothingClose_ListsTheKnownKeys()
    {
        var e = Error("log:\n  destination: syslog\n");
        Assert.Equal("palisade.yml:2: unknown key 'log.destination' (known keys in log: level)", e.Message);
    }

    [Fact]
    public void BadDuration_IsReported()
    {
        var e = Error("listen: [\"127.0.0.1:5353\"]\nupstreamTimeout: 5 seconds\n");
        Assert.Equal("palisade.yml:2: upstreamTimeout: '5 seconds' is not a duration (use e.g. 500ms, 5s, 10m, 24h, 1d or 1h30m)", e.Message);
        Assert.Equal("upstreamTimeout", e.Key);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void DurationWithoutUnit_AsksForAUnit()
    {
        var e = Error("cache:\n  maxTtl: 3600\n");
        Assert.Equal("palisade.yml:2: cache.maxTtl: '3600' has no unit (use e.g. 500ms, 5s, 10m, 24h, 1d or 1h30m)", e.Message);
    }

    [Fact]
    public void BadSize_IsReported()
    {
        var e = Error("# comment\nlog:\n  level: info\ncache:\n  minTtl: 0s\n\n  maxSize: 20XB\n");
        Assert.Equal("palisade.yml:7: cache.maxSize: '20XB' is not a size (use e.g. 200MB, 64MiB or 0)", e.Message);
    }

    [Fact]
    public void BadEnum_ListsTheValidValues()
    {
        var e = Error("upstreamStrategy: fastset\n");
        Assert.Equal("palisade.yml:1: upstreamStrategy: 'fastset' is not one of fastest, parallel, roundRobin (did you mean 'fastest'?)", e.Message);

        e = Error("log:\n  level: verbose\n");
        Assert.Equal("palisade.yml:2: log.level: 'verbose' is not one of debug, info, warning, error", e.Message);
    }

    [Fact]
    public void BadBoolean_IsReported()
    {
        var e = Error("cache:\n  prefetch: sometimes\n");
        Assert.Equal("palisade.yml:2: cache.prefetch: 'sometimes' is not a boolean (use true or false)", e.Message);
    }

    [Theory]
    [InlineData("tls://192.0.2.1#dns.example", "tls://192.0.2.1:853#dns.example")]
    [InlineData("https://192.0.2.1/dns-query", "https://192.0.2.1:443/dns-query")]
    public void EncryptedUpstream_IsAccepted(string upstream, string expected)
    {
        var options = Load($"upstreams:\n  - 192.0.2.1\n  - {upstream}\n");
        Assert.Equal(["udp://192.0.2.1:53", expected], options.Upstreams.Select(u => u.ToString()));
    }

    [Fact]
    public void HostNameUpstream_WithoutBootstrap_IsReported()
    {
        var e = Error("upstreams: [\"https://doh.example/dns-query\"]\nbootstrap: []\n");
        Assert.Equal(
            "palisade.yml:2: bootstrap: is empty, but the upstream https://doh.example:443/dns-query is a host name that has to be looked up (give its address as #IP, or bootstrap servers)",
            e.Message);
        Assert.Single(Load("upstreams: [\"https://doh.example/dns-query#192.0.2.7\"]\nbootstrap: []\n").Upstreams);
    }

    [Fact]
    public void TlsListen_WithoutCertificate_IsReported()
    {
        var e = Error("tlsListen: [\"127.0.0.1:8853\"]\ntls:\n  certificate: /etc/palisade/cert.pem\n");
        Assert.Equal(
            "palisade.yml:3: tls.privateKey: is missing; serving DNS over TLS or HTTPS (tlsListen, httpsListen) needs both tls.certificate and tls.privateKey (palisade cert self-signed --name NAME makes a pair)",
            e.Message);
        var options = Load("httpsListen: [\"127.0.0.1:8443\"]\ntls:\n  certificate: c.pem\n  privateKey: k.pem\n");
        Assert.Equal(["127.0.0.1:8443"], options.HttpsListen.Select(e => e.ToString()));
        Assert.Equal(("c.pem", "k.pem"), (options.Tls.Certificate, options.Tls.PrivateKey));
    }

    /// <summary>Found by fuzzing (fuzz/regressions/config/): YamlDotNet threw ArgumentException past the reader.</summary>
    [Theory]
    [InlineData("? :\n")]
    [InlineData("!!a+!!\n")]
    [InlineData("a: \"\\UFFFFFFFF\"\n")]
    public void Read_YamlDotNetArgumentException_IsConfigurationException(string yaml)
    {
        var e = Error(yaml);
        Assert.Matches(@"^palisade\.yml:[12]:\d+: YAML syntax error", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void HostnameUpstream_IsRejected()
    {
        var e = Error("upstreams:\n  - udp://dns.quad9.net:53\n");
        Assert.Equal(
            "palisade.yml:2: upstreams: 'udp://dns.quad9.net:53': 'dns.quad9.net' is a hostname, but an IP address is needed (hostnames are not resolved)",
            e.Message);
    }

    [Fact]
    public void HostnameListenAddress_IsRejected()
    {
        var e = Error("listen:\n  - localhost:5353\n");
        Assert.StartsWith("palisade.yml:2: listen: 'localhost:5353': 'localhost' is a hostname", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListenPortZero_IsRejectedWithAReason()
    {
        var e = Error("listen: [\"127.0.0.1:0\"]\n");
        Assert.Equal(
            "palisade.yml:1: listen: '127.0.0.1:0' has port 0, which would make the system pick a random port no client can know (use 1-65535)",
            e.Message);
    }

    [Fact]
    public void ListenPortOutOfRange_IsRejected()
    {
        var e = Error("listen: [\"127.0.0.1:65536\"]\n");
        Assert.Equal("palisade.yml:1: listen: '127.0.0.1:65536' has port 65536, which is out of range (use 1-65535)", e.Message);
    }

    [Fact]
    public void DuplicateListenEndpoint_IsReportedAtTheSecondOne()
    {
        var e = Error("listen:\n  - 127.0.0.1:5353\n  - \"[::1]:5353\"\n  - 127.0.0.1:5353\n");
        Assert.Equal("palisade.yml:4: listen: '127.0.0.1:5353' is listed twice", e.Message);
    }

    [Fact]
    public void EmptyLists_AreRejected()
    {
        Assert.Equal("palisade.yml:1: listen: at least one listen address is needed", Error("listen: []\n").Message);
        Assert.Equal("palisade.yml:1: upstreams: at least one upstream is needed", Error("upstreams:\n").Message);
    }

    [Fact]
    public void ZeroTimeout_IsRejected()
    {
        var e = Error("upstreamTimeout: 0ms\n");
        Assert.Equal("palisade.yml:1: upstreamTimeout: '0ms' must be more than 0", e.Message);
    }

    [Fact]
    public void MinTtlAboveMaxTtl_IsReportedAtMinTtl()
    {
        var e = Error("cache:\n  maxTtl: 1h\n  minTtl: 2h\n");
        Assert.Equal("palisade.yml:3: cache.minTtl: 2h is more than cache.maxTtl (1h)", e.Message);
        Assert.Equal("cache.minTtl", e.Key);
    }

    [Fact]
    public void MinTtlAboveDefaultMaxTtl_IsReported()
    {
        var e = Error("cache:\n  minTtl: 2d\n");
        Assert.Equal("palisade.yml:2: cache.minTtl: 2d is more than cache.maxTtl (1d)", e.Message);
    }

    [Fact]
    public void MappingWhereAValueIsExpected_IsReported()
    {
        var e = Error("upstreamTimeout:\n  seconds: 5\n");
        Assert.Equal("palisade.yml:2: upstreamTimeout: expected a single value, got a mapping", e.Message);
    }

    [Fact]
    public void ListWhereAValueIsExpected_IsReported()
    {
        var e = Error("log:\n  level: [debug]\n");
        Assert.Equal("palisade.yml:2: log.level: expected a single value, got a list", e.Message);
    }

    [Fact]
    public void ValueWhereAListIsExpected_IsReported()
    {
        var e = Error("upstreams: 9.9.9.9\n");
        Assert.Equal("palisade.yml:1: upstreams: expected a list, e.g. upstreams: [\"9.9.9.9\"], got the value '9.9.9.9'", e.Message);
    }

    [Fact]
    public void ValueWhereASectionIsExpected_IsReported()
    {
        var e = Error("cache: 200MB\n");
        Assert.Equal(
            "palisade.yml:1: cache: expected a mapping of keys (maxSize, minTtl, maxTtl, negativeMaxTtl, serveStale, staleMaxAge, prefetch), got the value '200MB'",
            e.Message);
    }

    [Fact]
    public void UnquotedIPv6ListItem_HintsAtQuoting()
    {
        var e = Error("listen:\n  - 127.0.0.1:5353\n  - [::1]:5353\n");
        Assert.Equal(
            "palisade.yml:3:11: YAML syntax error: While parsing a block collection, did not find expected '-' indicator. (quote IPv6 addresses with a port: \"[::1]:53\")",
            e.Message);

        e = Error("listen: [[::1]:5353]\n");
        Assert.Equal("palisade.yml:1: listen: a list item must be a single value, got a mapping (quote values with '[' or ': ' in them, like \"[::1]:53\")", e.Message);

        e = Error("upstreams:\n  - [192.0.2.1, 192.0.2.2]\n");
        Assert.StartsWith("palisade.yml:2: upstreams: a list item must be a single value, got a list", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyWithoutValue_IsReported()
    {
        var e = Error("cache:\n  maxSize:\n");
        Assert.Equal("palisade.yml:2: cache.maxSize: has no value (remove the key to use the default)", e.Message);
    }

    [Fact]
    public void TopLevelThatIsNotAMapping_IsReported()
    {
        var e = Error("- listen\n");
        Assert.Equal("palisade.yml:1: the file must be a mapping of keys (like 'listen: [\"127.0.0.1:53\"]'), not a list", e.Message);
    }

    [Fact]
    public void YamlSyntaxError_GivesLineAndColumn()
    {
        var e = Error("listen: [\"127.0.0.1:5353\"]\ncache:\n  maxSize: 1MB\n minTtl: 0s\n");
        Assert.Equal("palisade.yml:4:2: YAML syntax error: While parsing a block mapping, did not find expected key.", e.Message);
        Assert.Equal(4, e.Line);
    }

    [Fact]
    public void UnterminatedQuote_GivesLineAndColumn()
    {
        var e = Error("log:\n  level: \"debug\n");
        Assert.StartsWith("palisade.yml:2:10: YAML syntax error: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnclosedFlowList_GivesALine()
    {
        var e = Error("listen: [\"127.0.0.1:5353\"\nlog:\n  level: info\n");
        Assert.StartsWith("palisade.yml:", e.Message, StringComparison.Ordinal);
        Assert.Contains("YAML syntax error", e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.Line);
    }

    [Fact]
    public void DuplicateKey_IsReported()
    {
        var e = Error("log:\n  level: info\nlog:\n  level: debug\n");
        Assert.Equal("palisade.yml:3: key 'log' appears twice", e.Message);
    }

    [Fact]
    public void SeveralDocuments_AreRejected()
    {
        var e = Error("log:\n  level: info\n---\nlog:\n  level: debug\n");
        Assert.Equal("palisade.yml:4: only one YAML document is allowed (remove the '---' separator)", e.Message);
    }

    [Fact]
    public void MissingFile_IsReportedByName()
    {
        var path = Path.Combine(Path.GetTempPath(), $"palisade-missing-{Guid.NewGuid():N}.yml");
        var e = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(path, NoEnvironment));
        Assert.Equal($"{path}: the configuration file does not exist", e.Message);
    }

    [Fact]
    public void FileOnDisk_IsNamedByItsPathInErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"palisade-test-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, "log:\n  level: loud\n");
        try
        {
            var e = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(path, NoEnvironment));
            Assert.StartsWith($"{path}:2: log.level: 'loud' is not one of", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // ---- environment ----

    [Fact]
    public void Environment_OverridesTheFile_CaseInsensitively()
    {
        var options = Load(
            "cache:\n  maxSize: 1MB\nlog:\n  level: info\n",
            Env(("PALISADE__CACHE__MAXSIZE", "64MB"), ("palisade__Log__Level", "debug"), ("Palisade__UpstreamTimeout", "2s")));

        Assert.Equal(64_000_000, options.Cache.MaxSize);
        Assert.Equal(LogLevelOption.Debug, options.Log.Level);
        Assert.Equal(TimeSpan.FromSeconds(2), options.UpstreamTimeout);
    }

    [Fact]
    public void EnvironmentList_ReplacesTheFileList_InIndexOrder()
    {
        var options = Load(
            "listen: [\"127.0.0.1:5353\", \"[::1]:5353\"]\nupstreams: [\"192.0.2.1\"]\n",
            Env(
                ("PALISADE__LISTEN__1", "[::1]:5454"),
                ("PALISADE__LISTEN__0", "127.0.0.1:5454"),
                ("PALISADE__UPSTREAMS__10", "tcp://192.0.2.20"),
                ("PALISADE__UPSTREAMS__2", "192.0.2.2")));

        Assert.Equal(["127.0.0.1:5454", "[::1]:5454"], options.Listen.Select(e => e.ToString()));
        Assert.Equal(["udp://192.0.2.2:53", "tcp://192.0.2.20:53"], options.Upstreams.Select(u => u.ToString()));
    }

    [Fact]
    public void EnvironmentList_MayBeOneCommaSeparatedVariable()
    {
        var options = Load(string.Empty, Env(("PALISADE__UPSTREAMS", "192.0.2.1, tcp://192.0.2.2:5300")));
        Assert.Equal(["udp://192.0.2.1:53", "tcp://192.0.2.2:5300"], options.Upstreams.Select(u => u.ToString()));
    }

    [Fact]
    public void OtherEnvironmentVariables_AreIgnored()
    {
        AssertDefaults(Load(string.Empty, Env(("PATH", "/usr/bin"), ("PALISADE_HOME", "/x"), ("DOTNET__X", "1"))));
    }

    [Fact]
    public void BadEnvironmentValue_NamesTheVariable()
    {
        var e = Error(string.Empty, Env(("PALISADE__UPSTREAMTIMEOUT", "soon")));
        Assert.Equal("environment PALISADE__UPSTREAMTIMEOUT: upstreamTimeout: 'soon' is not a duration (use e.g. 500ms, 5s, 10m, 24h, 1d or 1h30m)", e.Message);
        Assert.Null(e.Line);
    }

    [Fact]
    public void BadEnvironmentListItem_NamesItsVariable()
    {
        var e = Error(string.Empty, Env(("PALISADE__UPSTREAMS__0", "192.0.2.1"), ("PALISADE__UPSTREAMS__1", "quic://192.0.2.2")));
        Assert.StartsWith("environment PALISADE__UPSTREAMS__1: upstreams: 'quic://192.0.2.2': quic:// upstreams are not supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownEnvironmentKey_SuggestsTheVariable()
    {
        var e = Error(string.Empty, Env(("PALISADE__CACHE__MAXSIZ", "1MB")));
        Assert.Equal("environment PALISADE__CACHE__MAXSIZ: unknown key 'CACHE.MAXSIZ' (did you mean PALISADE__CACHE__MAXSIZE?)", e.Message);
    }

    [Fact]
    public void EnvironmentCanViolateACrossKeyRule()
    {
        var e = Error("cache:\n  maxTtl: 1h\n", Env(("PALISADE__CACHE__MINTTL", "90m")));
        Assert.Equal("environment PALISADE__CACHE__MINTTL: cache.minTtl: 1h30m is more than cache.maxTtl (1h)", e.Message);
    }

    [Fact]
    public void EnvironmentKeySetTwiceInDifferentCase_IsRejected()
    {
        var e = Error(string.Empty, Env(("PALISADE__LOG__LEVEL", "debug"), ("palisade__log__level", "info")));
        Assert.Equal("environment palisade__log__level: log.level: is set by more than one environment variable", e.Message);
    }

    [Fact]
    public void ProcessEnvironmentOverload_ReadsOnlyPalisadeVariables()
    {
        var variables = ConfigurationLoader.ReadProcessEnvironment();
        Assert.All(variables.Keys, name => Assert.StartsWith("PALISADE__", name, StringComparison.OrdinalIgnoreCase));
    }

    // ---- command line ----

    [Fact]
    public void CommandLineLists_ReplaceFileAndEnvironmentLists()
    {
        var options = Load(
            "listen: [\"127.0.0.1:5353\"]\nupstreams: [\"192.0.2.1\"]\n",
            Env(("PALISADE__LISTEN__0", "127.0.0.1:5454"), ("PALISADE__UPSTREAMS__0", "192.0.2.2")),
            new ConfigurationOverrides { Listen = ["[::1]:8053"], Upstreams = ["tcp://192.0.2.3:5300", "192.0.2.4"] });

        Assert.Equal(["[::1]:8053"], options.Listen.Select(e => e.ToString()));
        Assert.Equal(["tcp://192.0.2.3:5300", "udp://192.0.2.4:53"], options.Upstreams.Select(u => u.ToString()));
    }

    [Fact]
    public void EmptyCommandLineLists_KeepTheConfiguredLists()
    {
        var options = Load("listen: [\"127.0.0.1:5353\"]\n", overrides: new ConfigurationOverrides());
        Assert.Equal(["127.0.0.1:5353"], options.Listen.Select(e => e.ToString()));
    }

    [Fact]
    public void BadCommandLineValues_NameTheOption()
    {
        var e = Error(string.Empty, overrides: new ConfigurationOverrides { Listen = ["127.0.0.1:0"] });
        Assert.StartsWith("--listen: '127.0.0.1:0' has port 0", e.Message, StringComparison.Ordinal);

        e = Error(string.Empty, overrides: new ConfigurationOverrides { Upstreams = ["dns.google"] });
        Assert.Equal("--upstream: 'dns.google' is a hostname, but an IP address is needed (hostnames are not resolved)", e.Message);

        e = Error(string.Empty, overrides: new ConfigurationOverrides { Listen = ["127.0.0.1:53", "127.0.0.1:53"] });
        Assert.Equal("--listen: '127.0.0.1:53' is listed twice", e.Message);
    }

    // ---- display ----

    [Fact]
    public void DisplayLines_ShowTheEffectiveConfiguration()
    {
        Assert.Equal(
            [
                "listen: 0.0.0.0:53, [::]:53",
                "upstreams: tls://9.9.9.9:853#dns.quad9.net, tls://149.112.112.112:853#dns.quad9.net, https://dns.quad9.net:443/dns-query (fastest, timeout 3s; bootstrap 9.9.9.9:53, 149.112.112.112:53)",
                "cache: 200MB, TTL 0s..1d, negative up to 1h, serve stale up to 1d, prefetch on",
                "access: loopback, private networks, and this machine's networks may query; others refused",
                "rateLimit: 300 queries/s per client over UDP, burst 600; clients by IPv4 /32 and IPv6 /64",
                "blocking: 2 lists, 0 allow lists, 0 inline rules; response nullIp, TTL 10s, CNAME inspection on, refresh 1d, cache ./data/lists",
                "security: rebinding protection on",
                "log: info",
            ],
            ConfigurationFormatter.ToDisplayLines(new PalisadeOptions()));

        Assert.Equal(
            [
                "listen: 127.0.0.1:5353, [::1]:5353",
                "upstreams: udp://192.0.2.1:53, udp://192.0.2.2:5300, tcp://192.0.2.3:53, udp://[2001:db8::1]:853 (roundRobin, timeout 1s500ms)",
                "cache: 64MiB, TTL 30s..12h, negative up to 5m, serve stale off, prefetch off",
                "access: loopback, private networks, and this machine's networks may query; others refused",
                "rateLimit: 300 queries/s per client over UDP, burst 600; clients by IPv4 /32 and IPv6 /64",
                "blocking: 2 lists, 0 allow lists, 0 inline rules; response nullIp, TTL 10s, CNAME inspection on, refresh 1d, cache ./data/lists",
                "security: rebinding protection on",
                "log: debug",
            ],
            ConfigurationFormatter.ToDisplayLines(Load(EveryKey)));

        Assert.Equal("cache: off", ConfigurationFormatter.ToDisplayLines(Load("cache:\n  maxSize: 0\n"))[2]);
    }

    private static void AssertDefaults(PalisadeOptions options)
    {
        var defaults = new PalisadeOptions();
        Assert.Equal(defaults.Listen, options.Listen);
        Assert.Equal(defaults.Upstreams, options.Upstreams);
        Assert.Equal(defaults with { Listen = options.Listen, Upstreams = options.Upstreams }, options);
    }
}
