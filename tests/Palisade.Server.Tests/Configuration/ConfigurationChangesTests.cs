using Palisade.Server.Configuration;
using static Palisade.Server.Tests.Configuration.ConfigurationTestHelpers;

namespace Palisade.Server.Tests.Configuration;

public sealed class ConfigurationChangesTests
{
    private const string Base = "upstreams: [\"udp://127.0.0.1:5300\"]\nblocking:\n  lists: []\n";

    [Fact]
    public void Compare_SameFileTwice_NothingChanged() =>
        Assert.Empty(ConfigurationChanges.Compare(Load(Base), Load(Base)));

    [Theory]
    [InlineData("listen: [\"127.0.0.1:5353\"]\n", "listen")]
    [InlineData("upstreamTimeout: 2s\n", "upstreamTimeout")]
    [InlineData("access:\n  action: drop\n", "access.action")]
    [InlineData("rateLimit:\n  queriesPerSecond: 0\n", "rateLimit.queriesPerSecond")]
    [InlineData("cache:\n  prefetch: false\n", "cache.prefetch")]
    [InlineData("security:\n  rebindingAllow: [home.arpa]\n", "security.rebindingAllow")]
    [InlineData("log:\n  level: debug\n", "log.level")]
    [InlineData("dataDir: /tmp/elsewhere\n", "dataDir")]
    public void Compare_OneKeyChanged_NamedAsInTheFile(string extra, string key) =>
        Assert.Equal([key], ConfigurationChanges.Compare(Load(Base), Load(Base + extra)));

    [Fact]
    public void Compare_BlockingKeys_EachNamed()
    {
        var after = Load("upstreams: [\"udp://127.0.0.1:5300\"]\nblocking:\n  lists: []\n  deny: [ads.example]\n  response: nxdomain\n");

        Assert.Equal(["blocking.deny", "blocking.response"], ConfigurationChanges.Compare(Load(Base), after));
    }

    [Fact]
    public void RestartRequired_ListenersAndCertificate()
    {
        Assert.Equal(
            ["httpsListen", "listen", "tls.certificate", "tls.privateKey", "tlsListen"],
            ConfigurationChanges.RestartRequired.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Applied_LogLevelChanged_AppliesWithoutARestart()
    {
        var result = new Palisade.Server.ConfigurationReloadResult(["blocking.deny", "log.level", "listen"], ["listen"]);

        Assert.Equal(["blocking.deny", "log.level"], result.Applied);
        Assert.DoesNotContain("log.level", ConfigurationChanges.RestartRequired);
    }
}
