using System.Globalization;
using Palisade.Tests.Interop;

namespace Palisade.Tests.Commands;

/// <summary>
/// <c>palisade query</c>, run as a user would, against a real <c>palisade serve</c> (over UDP, TCP, DNS over TLS and
/// DNS over HTTPS, with the certificate, authority and pin from <c>palisade cert</c>) and against Knot directly.
/// </summary>
[Trait("Category", "Interop")]
public sealed class QueryCommandTests(EncryptedServingFixture fixture) : IClassFixture<EncryptedServingFixture>
{
    // The TTL is Knot's 3600 less the seconds the answer has been in palisade's cache.
    private const string WwwAnswer = @"host\.example\.test\.\t\d+\tIN\tA\t192\.0\.2\.10";

    // A fresh process's first DoH exchange JITs the whole HTTP/2 stack: on a loaded shared machine that can outlast the
    // default 5 s, which is not what these tests are about.
    private const string Patience = "20";

    private string Pin => "sha256/" + fixture.PinBase64;

    public static TheoryData<string> Transports => ["udp", "bare", "tcp", "tls-pin", "tls-ca", "https-pin", "https-ca"];

    [Theory]
    [MemberData(nameof(Transports))]
    public void Query_EachTransportThroughServe_PrintsTheAnswerLikeDecode(string transport)
    {
        var (server, extra) = Server(transport);

        var result = PalisadeProcess.Run(["query", "www.example.test", "A", "--server", server, "--timeout", Patience, .. extra]);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Contains("status: NOERROR", result.Output, StringComparison.Ordinal);
        Assert.Contains(";www.example.test.\tIN\tA", result.Output, StringComparison.Ordinal);
        Assert.Matches(WwwAnswer, result.Output);
        Assert.Matches(@";; MSG SIZE: \d+", result.Output);
        Assert.Contains(";; SERVER: " + transport switch
        {
            "tls-pin" or "tls-ca" => "tls://127.0.0.1:" + fixture.TlsPort.ToString(CultureInfo.InvariantCulture),
            "https-pin" or "https-ca" => $"https://{EncryptedServingFixture.ServerName}:{fixture.HttpsPort}/dns-query",
            "tcp" => "tcp://127.0.0.1:" + fixture.Server.Port.ToString(CultureInfo.InvariantCulture),
            _ => "udp://127.0.0.1:" + fixture.Server.Port.ToString(CultureInfo.InvariantCulture),
        }, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_KnotDirectly_AnswersWithItsAuthorityBit()
    {
        var result = PalisadeProcess.Run("query", "example.test", "MX", "--server", fixture.Knot.UdpUpstream, "--timeout", Patience);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("flags: qr aa rd", result.Output, StringComparison.Ordinal);
        Assert.Contains("example.test.\t3600\tIN\tMX\t10 mail1.example.test.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_AnswerTruncatedOverUdp_IsAskedAgainOverTcp()
    {
        var result = PalisadeProcess.Run("query", ExampleZone.BigTxtName, "TXT", "--server", $"127.0.0.1:{fixture.Server.Port}", "--timeout", Patience);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain(" tc ", result.Output, StringComparison.Ordinal);
        int size = int.Parse(System.Text.RegularExpressions.Regex.Match(result.Output, @";; MSG SIZE: (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(size > 1232, result.Output);
    }

    [Fact]
    public void Query_BlockedNameOverDoh_GetsTheBlockedAnswer()
    {
        var result = PalisadeProcess.Run("query", "ads.example.test", "--server", $"https://{EncryptedServingFixture.ServerName}:{fixture.HttpsPort}/dns-query?pin={Pin}#127.0.0.1", "--timeout", Patience);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("ads.example.test.\t10\tIN\tA\t0.0.0.0", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tls")]
    [InlineData("https")]
    public void Query_CertificateNotTrusted_ExitCode1AndSaysWhy(string scheme)
    {
        string server = scheme == "tls"
            ? $"tls://127.0.0.1:{fixture.TlsPort}#{EncryptedServingFixture.ServerName}"
            : $"https://{EncryptedServingFixture.ServerName}:{fixture.HttpsPort}/dns-query#127.0.0.1";

        var result = PalisadeProcess.Run("query", "www.example.test", "--server", server, "--timeout", Patience);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("was refused: it is not trusted", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Query_WrongPin_ExitCode1()
    {
        string wrong = "sha256/" + Convert.ToBase64String(new byte[32]);

        var result = PalisadeProcess.Run("query", "www.example.test", "--server", $"tls://127.0.0.1:{fixture.TlsPort}?pin={wrong}#{EncryptedServingFixture.ServerName}", "--timeout", Patience);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not match the pin", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_NothingListening_ExitCode1()
    {
        var result = PalisadeProcess.Run("query", "www.example.test", "--server", $"tcp://127.0.0.1:{FreePort.Pick()}", "--timeout", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no answer from tcp://127.0.0.1:", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("www.example.test", "NOTATYPE", "127.0.0.1:53", "is not a record type")]
    [InlineData("www.example.test", "A", "quic://127.0.0.1", "not supported")]
    [InlineData("www.example.test", "A", "tls://127.0.0.1?pin=nope", "the pin must be sha256/BASE64")]
    [InlineData("a..b", "A", "127.0.0.1:53", "empty label")]
    public void Query_BadArgument_ExitCode2WithReason(string name, string type, string server, string reason)
    {
        var result = PalisadeProcess.Run("query", name, type, "--server", server);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("query")]
    [InlineData("query", "a.test", "--timeout", "soon")]
    public void Query_CommandLineDoesNotParse_ExitCode2(params string[] arguments)
    {
        var result = PalisadeProcess.Run(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.Error);
    }

    private (string Server, string[] Extra) Server(string transport)
    {
        string tls = $"tls://127.0.0.1:{fixture.TlsPort}";
        string https = $"https://{EncryptedServingFixture.ServerName}:{fixture.HttpsPort}/dns-query";
        return transport switch
        {
            "udp" => ($"udp://127.0.0.1:{fixture.Server.Port}", []),
            "bare" => ($"127.0.0.1:{fixture.Server.Port}", []),
            "tcp" => ($"tcp://127.0.0.1:{fixture.Server.Port}", []),
            "tls-pin" => ($"{tls}?pin={Pin}#{EncryptedServingFixture.ServerName}", []),
            "tls-ca" => ($"{tls}#{EncryptedServingFixture.ServerName}", ["--ca", fixture.CertificateFile]),
            "https-pin" => ($"{https}?pin={Pin}#127.0.0.1", []),
            "https-ca" => ($"{https}#127.0.0.1", ["--ca", fixture.CertificateFile]),
            _ => throw new ArgumentOutOfRangeException(nameof(transport)),
        };
    }
}
