using Palisade.Server.Configuration;
using static Palisade.Server.Tests.Configuration.ConfigurationTestHelpers;

namespace Palisade.Server.Tests.Configuration;

public sealed class RateLimitConfigurationTests
{
    [Fact]
    public void NoRateLimitKeys_TheDefaults()
    {
        var rateLimit = Load(string.Empty).RateLimit;

        Assert.Equal(new RateLimitOptions { QueriesPerSecond = 300, Burst = 600, IPv4Prefix = 32, IPv6Prefix = 64 }, rateLimit);
        Assert.True(rateLimit.Enabled);
    }

    [Fact]
    public void EveryRateLimitKey_IsReadFromYaml()
    {
        var options = Load("rateLimit:\n  queriesPerSecond: 50\n  burst: 80\n  ipv4Prefix: 24\n  ipv6Prefix: 56\n");

        Assert.Equal(new RateLimitOptions { QueriesPerSecond = 50, Burst = 80, IPv4Prefix = 24, IPv6Prefix = 56 }, options.RateLimit);
        Assert.NotEqual(new PalisadeOptions(), options);
    }

    [Fact]
    public void FlowMapping_IsRead()
    {
        var options = Load("rateLimit: {queriesPerSecond: 5, burst: 5}\n");
        Assert.Equal(5, options.RateLimit.QueriesPerSecond);
        Assert.Equal(5, options.RateLimit.Burst);
    }

    [Fact]
    public void QueriesPerSecondZero_Off()
    {
        var options = Load("rateLimit:\n  queriesPerSecond: 0\n");
        Assert.False(options.RateLimit.Enabled);
        Assert.Equal("rateLimit: off", ConfigurationFormatter.ToDisplayLines(options).Single(l => l.StartsWith("rateLimit:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Environment_SetsRateLimitKeys()
    {
        var options = Load("rateLimit:\n  burst: 10\n", Env(("PALISADE__RATELIMIT__QUERIESPERSECOND", "7"), ("PALISADE__RATELIMIT__IPV6PREFIX", "48")));

        Assert.Equal(7, options.RateLimit.QueriesPerSecond);
        Assert.Equal(10, options.RateLimit.Burst);
        Assert.Equal(48, options.RateLimit.IPv6Prefix);
    }

    [Fact]
    public void DisplayLine_SaysRateBurstAndPrefixes()
    {
        Assert.Contains(
            "rateLimit: 300 queries/s per client over UDP, burst 600; clients by IPv4 /32 and IPv6 /64",
            ConfigurationFormatter.ToDisplayLines(new PalisadeOptions()));
    }

    [Theory]
    [InlineData("rateLimit:\n  queriesPerSecond: -1\n", "palisade.yml:2: rateLimit.queriesPerSecond: '-1' must be from 0 (off) to 1000000")]
    [InlineData("rateLimit:\n  queriesPerSecond: 1000001\n", "palisade.yml:2: rateLimit.queriesPerSecond: '1000001' must be from 0 (off) to 1000000")]
    [InlineData("rateLimit:\n  queriesPerSecond: fast\n", "palisade.yml:2: rateLimit.queriesPerSecond: 'fast' is not a whole number")]
    [InlineData("rateLimit:\n  queriesPerSecond: 2.5\n", "palisade.yml:2: rateLimit.queriesPerSecond: '2.5' is not a whole number")]
    [InlineData("rateLimit:\n  queriesPerSecond: 99999999999\n", "palisade.yml:2: rateLimit.queriesPerSecond: '99999999999' is too large a number")]
    [InlineData("rateLimit:\n  burst: 0\n", "palisade.yml:2: rateLimit.burst: '0' must be from 1 to 1000000")]
    [InlineData("rateLimit:\n  queriesPerSecond: 0\n  burst: 0\n", "palisade.yml:3: rateLimit.burst: '0' must be from 1 to 1000000")]
    [InlineData("rateLimit:\n  burst: 2000000\n", "palisade.yml:2: rateLimit.burst: '2000000' must be from 1 to 1000000")]
    [InlineData("rateLimit:\n  ipv4Prefix: 33\n", "palisade.yml:2: rateLimit.ipv4Prefix: '33' must be a prefix length from 0 to 32")]
    [InlineData("rateLimit:\n  ipv4Prefix: -1\n", "palisade.yml:2: rateLimit.ipv4Prefix: '-1' must be a prefix length from 0 to 32")]
    [InlineData("rateLimit:\n  ipv6Prefix: 129\n", "palisade.yml:2: rateLimit.ipv6Prefix: '129' must be a prefix length from 0 to 128")]
    [InlineData("rateLimit:\n  queriesPerSecond:\n", "palisade.yml:2: rateLimit.queriesPerSecond: has no value")]
    public void BadValue_ErrorWithLineAndKey(string yaml, string expected)
    {
        Assert.StartsWith(expected, Error(yaml).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MisspelledKey_Suggested()
    {
        Assert.Equal("palisade.yml:2: unknown key 'rateLimit.brust' (did you mean 'rateLimit.burst'?)", Error("rateLimit:\n  brust: 5\n").Message);
    }
}
