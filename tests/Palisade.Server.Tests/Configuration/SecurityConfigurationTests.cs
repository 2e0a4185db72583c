using Palisade.Server.Configuration;
using static Palisade.Server.Tests.Configuration.ConfigurationTestHelpers;

namespace Palisade.Server.Tests.Configuration;

public sealed class SecurityConfigurationTests
{
    [Fact]
    public void Defaults_ProtectionOn_NothingAllowed()
    {
        var security = Load(string.Empty).Security;

        Assert.True(security.RebindingProtection);
        Assert.Empty(security.RebindingAllow);
        Assert.Equal(new SecurityOptions(), security);
    }

    [Fact]
    public void EveryKey_IsReadFromYaml()
    {
        var security = Load("security:\n  rebindingProtection: false\n  rebindingAllow:\n    - home.arpa\n    - corp.example.com\n").Security;

        Assert.False(security.RebindingProtection);
        Assert.Equal(["home.arpa", "corp.example.com"], security.RebindingAllow);
    }

    [Theory]
    [InlineData("Home.Arpa.", "home.arpa")]
    [InlineData(" vpn.Example.COM ", "vpn.example.com")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("localhost", "localhost")]
    [InlineData("lan", "lan")]
    [InlineData("_sites.corp.example", "_sites.corp.example")]
    public void RebindingAllow_NamesNormalised(string written, string stored)
    {
        Assert.Equal([stored], Load($"security:\n  rebindingAllow: [\"{written}\"]\n").Security.RebindingAllow);
    }

    [Fact]
    public void RebindingAllow_EmptyList_IsAllowed()
    {
        Assert.Empty(Load("security:\n  rebindingAllow: []\n").Security.RebindingAllow);
    }

    [Theory]
    [InlineData("security:\n  rebindingProtection: maybe\n", "palisade.yml:2: security.rebindingProtection: 'maybe' is not a boolean (use true or false)")]
    [InlineData("security:\n  rebindingProtection:\n", "palisade.yml:2: security.rebindingProtection: has no value (remove the key to use the default)")]
    [InlineData("security:\n  rebindingAllow: home.arpa\n", "palisade.yml:2: security.rebindingAllow: expected a list, e.g. security.rebindingAllow: [\"home.arpa\"]")]
    [InlineData("security:\n  rebindingAllow: [\"bad name.example\"]\n", "palisade.yml:2: security.rebindingAllow: 'bad name.example' is not a domain name")]
    [InlineData("security:\n  rebindingAllow: [\"a..example\"]\n", "palisade.yml:2: security.rebindingAllow: 'a..example' is not a domain name")]
    [InlineData("security:\n  rebindingAllow: [\".\"]\n", "palisade.yml:2: security.rebindingAllow: '.' is not a domain name (the root would allow every name)")]
    [InlineData("security:\n  rebindingAllow: [\"192.168.1.1\"]\n", "palisade.yml:2: security.rebindingAllow: '192.168.1.1' is an IP address, not a domain name")]
    [InlineData("security:\n  rebindingAllow: [\"0.0.0.0\"]\n", "palisade.yml:2: security.rebindingAllow: '0.0.0.0' is an IP address, not a domain name")]
    [InlineData("security:\n  rebindingAllow: [\"fd00::1\"]\n", "palisade.yml:2: security.rebindingAllow: 'fd00::1' is an IP address, not a domain name")]
    [InlineData("security:\n  rebindingAllow:\n    - home.arpa\n    - Home.Arpa.\n", "palisade.yml:4: security.rebindingAllow: 'Home.Arpa.' is listed twice")]
    [InlineData("security:\n  rebindingAllow:\n    - { name: x }\n", "palisade.yml:3: security.rebindingAllow: a list item must be a single value, got a mapping")]
    [InlineData("security:\n  rebindingalow: []\n", "palisade.yml:2: unknown key 'security.rebindingalow' (did you mean 'security.rebindingAllow'?)")]
    public void BadValues_ErrorWithLineAndKey(string yaml, string message)
    {
        Assert.StartsWith(message, Error(yaml).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongName_Refused()
    {
        string name = string.Join('.', Enumerable.Repeat(new string('a', 63), 4));
        Assert.Contains("is not a domain name", Error($"security:\n  rebindingAllow: [\"{name}\"]\n").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_OverridesTheFile()
    {
        var security = Load(
            "security:\n  rebindingAllow: [home.arpa]\n",
            Env(("PALISADE__SECURITY__REBINDINGPROTECTION", "off"), ("palisade__security__rebindingallow__0", "lan"), ("PALISADE__SECURITY__REBINDINGALLOW__1", "vpn.example"))).Security;

        Assert.False(security.RebindingProtection);
        Assert.Equal(["lan", "vpn.example"], security.RebindingAllow);
    }

    [Fact]
    public void SecurityOptions_CompareListsByValue()
    {
        var a = new SecurityOptions { RebindingAllow = ["home.arpa"] };
        var b = new SecurityOptions { RebindingAllow = ["home.arpa"] };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { RebindingAllow = ["lan"] });
        Assert.NotEqual(a, b with { RebindingProtection = false });
        Assert.NotEqual(new PalisadeOptions(), new PalisadeOptions { Security = b });
    }

    [Fact]
    public void DisplayLine_SaysWhatIsOn()
    {
        Assert.Contains("security: rebinding protection on", ConfigurationFormatter.ToDisplayLines(new PalisadeOptions()));
        Assert.Contains(
            "security: rebinding protection on, except under home.arpa, lan",
            ConfigurationFormatter.ToDisplayLines(Load("security:\n  rebindingAllow: [home.arpa, lan]\n")));
        Assert.Contains(
            "security: rebinding protection off",
            ConfigurationFormatter.ToDisplayLines(Load("security:\n  rebindingProtection: false\n")));
    }
}
