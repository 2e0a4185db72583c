using System.Diagnostics;
using System.Net;

namespace Palisade.Tests.Interop;

/// <summary>
/// palisade serve forwarding over DNS over TLS and DNS over HTTPS to a real Unbound (with a certificate from a test CA
/// that the palisade process trusts through <c>SSL_CERT_FILE</c>, as it would a system CA): answers equal Knot's own,
/// and a certificate that is not valid for the upstream, untrusted, or not the pinned key gets SERVFAIL and a log line
/// that says why, never an answer over plain DNS.
/// </summary>
[Trait("Category", "Interop")]
public sealed class EncryptedUpstreamInteropTests(UnboundFixture unbound) : IClassFixture<UnboundFixture>
{
    private static readonly TimeSpan LogWait = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Protocols() => ["tls", "https"];

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Serve_EncryptedUpstream_AnswersEveryZoneCaseLikeKnot(string protocol)
    {
        await using var server = await StartAsync(Upstream(protocol));
        DigClient knot = unbound.Knot.Client(DigTool.Kdig);
        foreach (ZoneCase zoneCase in ExampleZone.Cases)
        {
            var query = new DigQuery(zoneCase.Name, zoneCase.Type) { Transport = DnsTransport.Tcp };
            DigAnswer direct = await knot.QueryAsync(query);
            DigAnswer forwarded = await server.Client(DigTool.Kdig).QueryAsync(query);

            Assert.Equal(zoneCase.Status, forwarded.Status);
            DnsAnswerComparer.AssertEquivalent(direct, forwarded);
        }

        Assert.DoesNotContain("warn", server.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Serve_EncryptedUpstream_ManyQueriesAtOnceShareTheConnection(string protocol)
    {
        await using var server = await StartAsync(Upstream(protocol));
        string[] names = ["www.example.test.", "mail1.example.test.", "nothing.example.test.", "example.test."];
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            server.Client().QueryAsync(new DigQuery(names[i % names.Length], i % 2 == 0 ? "A" : "AAAA") { Timeout = TimeSpan.FromSeconds(5) })));

        Assert.True(answers.All(a => a.Status is "NOERROR" or "NXDOMAIN"), server.Describe());
        Assert.Equal("NXDOMAIN", answers[2].Status);
        Assert.Contains(answers[0].Answer, r => r.Type == "A");
    }

    [Fact]
    public async Task Serve_TlsUpstreamWithTheRightPin_Answers()
    {
        await using var server = await StartAsync($"tls://127.0.0.1:{unbound.TlsPort}?pin={unbound.ServerCertificatePin}#{unbound.ServerName}");

        DigAnswer answer = await server.Client().QueryAsync("www.example.test.", "A");

        Assert.Equal("NOERROR", answer.Status);
        Assert.Contains(answer.Answer, r => r.Data == "192.0.2.10");
    }

    [Theory]
    [InlineData("tls", "its key does not match the pin sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("https", "its key does not match the pin sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public async Task Serve_WrongPin_ServfailAndSaysWhy(string protocol, string reason)
    {
        const string WrongPin = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        string upstream = protocol == "tls"
            ? $"tls://127.0.0.1:{unbound.TlsPort}?pin={WrongPin}#{unbound.ServerName}"
            : $"https://{unbound.ServerName}:{unbound.HttpsPort}/dns-query?pin={WrongPin}#127.0.0.1";
        await AssertRefusedAsync(upstream, reason, unbound.CertificateAuthorityFile);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Serve_WrongName_ServfailAndSaysWhy(string protocol)
    {
        string upstream = protocol == "tls"
            ? $"tls://127.0.0.1:{unbound.TlsPort}#{TestCertificateAuthority.WrongName}"
            : $"https://{TestCertificateAuthority.WrongName}:{unbound.HttpsPort}/dns-query#127.0.0.1";
        await AssertRefusedAsync(upstream, $"it is not valid for {TestCertificateAuthority.WrongName}", unbound.CertificateAuthorityFile);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Serve_UntrustedCertificate_ServfailAndSaysWhy(string protocol)
    {
        // A trust store holding another CA only (a small one: OpenSSL reading the whole system bundle in a cold process,
        // on a loaded machine, took longer than the query's time). The chain then ends at an unknown issuer.
        using var other = TestCertificateAuthority.Create("Some Other Root");
        string trustStore = Path.Combine(Path.GetTempPath(), $"palisade-other-ca-{Guid.NewGuid():N}.pem");
        other.WriteCertificatePem(trustStore);
        try
        {
            await AssertRefusedAsync(Upstream(protocol), "was refused: it is not trusted (", trustStore);
        }
        finally
        {
            File.Delete(trustStore);
        }
    }

    [Fact]
    public async Task Serve_HttpsUpstreamByName_IsLookedUpThroughBootstrap()
    {
        // Knot serves doh.example.test A 127.0.0.1; a second Unbound serves a certificate for that name.
        using var certificate = unbound.CertificateAuthority.IssueServerCertificate("doh.example.test", IPAddress.Loopback);
        await using var named = await UnboundFixture.StartAsync(new UnboundOptions
        {
            Knot = unbound.Knot,
            CertificateAuthority = unbound.CertificateAuthority,
            ServerCertificate = certificate,
        });
        await using var server = await StartAsync(
            $"https://doh.example.test:{named.HttpsPort}/dns-query",
            config: $"bootstrap: [\"127.0.0.1:{unbound.Knot.Port}\"]\n");

        DigAnswer answer = await server.Client().QueryAsync("mail1.example.test.", "A");

        Assert.Equal("NOERROR", answer.Status);
        Assert.Contains(answer.Answer, r => r.Type == "A");
        Assert.Contains("bootstrap 127.0.0.1:" + unbound.Knot.Port, server.Output, StringComparison.Ordinal);
    }

    private string Upstream(string protocol) => protocol == "tls" ? unbound.TlsUpstream : unbound.HttpsUpstream;

    private async Task AssertRefusedAsync(string upstream, string reason, string trustStore)
    {
        await using var server = await StartAsync(upstream, trustStore: trustStore);

        DigAnswer answer = await server.Client().QueryAsync(new DigQuery("www.example.test.", "A") { Timeout = TimeSpan.FromSeconds(15) });

        Assert.Equal("SERVFAIL", answer.Status);
        Assert.Empty(answer.Answer);
        var clock = Stopwatch.StartNew();
        while (!server.Output.Contains(reason, StringComparison.Ordinal) && clock.Elapsed < LogWait)
        {
            await Task.Delay(50);
        }

        Assert.True(server.Output.Contains("cannot be used: the TLS certificate of", StringComparison.Ordinal), server.Describe());
        Assert.True(server.Output.Contains(reason, StringComparison.Ordinal), server.Describe());
    }

    private Task<PalisadeServer> StartAsync(string upstream, string config = "", string trustStore = "") =>
        PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [upstream],
            ConfigText = "cache:\n  maxSize: 0\nupstreamTimeout: 10s\n" + config,
            Environment = new Dictionary<string, string>
            {
                // The test CA as the trust store, as a system CA would be, unless a test gives another.
                ["SSL_CERT_FILE"] = trustStore.Length == 0 ? unbound.CertificateAuthorityFile : trustStore,
            },
        });
}
