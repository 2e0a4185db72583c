using static Palisade.Server.Tests.Configuration.ConfigurationTestHelpers;

namespace Palisade.Server.Tests.Configuration;

/// <summary>Issue 13 point 11: each error names the real place and says what is wrong once, in a plain sentence.</summary>
public sealed class ConfigurationErrorWordingTests
{
    [Theory]
    [InlineData("listen: [\"127.0.0.1:5354\"]\n\tcache:\n", "palisade.yml:2:1: YAML syntax error: a tab indents this line (YAML indents with spaces only)")]
    [InlineData("cache:\n  maxSize: 1MB\n\tminTtl: 1s\n", "palisade.yml:3:1: YAML syntax error: a tab indents this line (YAML indents with spaces only)")]
    [InlineData("cache:\n  maxSize: 1MB\n  \tminTtl: 1s\n", "palisade.yml:3:3: YAML syntax error: a tab indents this line (YAML indents with spaces only)")]
    public void Read_TabIndentation_ReportsTheTabsLineAndColumn(string yaml, string expected)
    {
        var e = Error(yaml);
        Assert.Equal(expected, e.Message);
    }

    [Theory]
    [InlineData(
        "tlsListen: [\"127.0.0.1:8853\"]\ntls:\n  certificate: /etc/palisade/cert.pem\n",
        "palisade.yml:3: tls.privateKey: is missing; serving DNS over TLS or HTTPS (tlsListen, httpsListen) needs both tls.certificate and tls.privateKey (palisade cert self-signed --name NAME makes a pair)")]
    [InlineData(
        "httpsListen: [\"127.0.0.1:8443\"]\ntls:\n  privateKey: /etc/palisade/key.pem\n",
        "palisade.yml:3: tls.certificate: is missing; serving DNS over TLS or HTTPS (tlsListen, httpsListen) needs both tls.certificate and tls.privateKey (palisade cert self-signed --name NAME makes a pair)")]
    [InlineData(
        "tlsListen: [\"127.0.0.1:8853\"]\n",
        "palisade.yml:1: tls.certificate: is missing, and so is tls.privateKey; serving DNS over TLS or HTTPS (tlsListen, httpsListen) needs both tls.certificate and tls.privateKey (palisade cert self-signed --name NAME makes a pair)")]
    public void Load_TlsListenWithoutThePair_NamesTheMissingKeysInASentence(string yaml, string expected)
    {
        var e = Error(yaml);
        Assert.Equal(expected, e.Message);
    }

    [Theory]
    [InlineData("listen: [\"127.0.0.1:5300:1\"]\n", "palisade.yml:1: listen: '127.0.0.1:5300:1' has more than one ':' after the IPv4 address (write IP:PORT, e.g. 127.0.0.1:5300)")]
    [InlineData("bootstrap: [\"127.0.0.1:5300:1\"]\n", "palisade.yml:1: bootstrap: '127.0.0.1:5300:1' has more than one ':' after the IPv4 address (write IP:PORT, e.g. 127.0.0.1:5300)")]
    [InlineData("upstreams: [\"udp://127.0.0.1:5300:1\"]\n", "palisade.yml:1: upstreams: 'udp://127.0.0.1:5300:1' has more than one ':' after the IPv4 address (write IP:PORT, e.g. 127.0.0.1:5300)")]
    [InlineData("listen: [\"256.0.0.1:53\"]\n", "palisade.yml:1: listen: '256.0.0.1:53': '256.0.0.1' is not an IP address")]
    [InlineData("blocking:\n  response: { ipv4: \"1\" }\n", "palisade.yml:2: blocking.response.ipv4: '1' is not an IP address")]
    [InlineData("listen: [\"[::1]5353\"]\n", "palisade.yml:1: listen: '[::1]5353' is not a valid listen address: ']' must be followed by ':PORT' (use IP:PORT, e.g. 192.0.2.1:53 or [2001:db8::1]:53)")]
    public void Load_BadAddress_SaysWhatIsWrongOnce(string yaml, string expected)
    {
        var e = Error(yaml);
        Assert.Equal(expected, e.Message);
    }
}
