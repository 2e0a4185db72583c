using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Palisade.Protocol;

namespace Palisade.Tests.Interop;

/// <summary>Which bad certificate a second Unbound serves in <see cref="UnboundFixtureTests.Tls_BadCertificate_FailsVerificationButStillServes"/>.</summary>
public enum BadCertificate
{
    /// <summary>From the trusted authority, for wrong.test only.</summary>
    WrongName,

    /// <summary>For dns.test and 127.0.0.1, from another authority.</summary>
    Untrusted,

    /// <summary>For dns.test and 127.0.0.1, from the trusted authority, expired a day ago.</summary>
    Expired,
}

/// <summary>
/// The Unbound fixture and its test authority against real clients (kdig over TLS and HTTPS, curl over HTTP/2), independent of
/// Palisade: encrypted answers equal Knot's, and certificate verification fails where it must.
/// </summary>
[Trait("Category", "Interop")]
public sealed class UnboundFixtureTests(UnboundFixture unbound) : IClassFixture<UnboundFixture>
{
    private static readonly TimeSpan CurlTimeout = TimeSpan.FromSeconds(15);

    private KdigTlsOptions Verified => new() { CaFile = unbound.CertificateAuthorityFile, Hostname = unbound.ServerName };

    [Fact]
    public async Task Plain_KdigOverUdp_AnswersAsKnotDoes()
    {
        DigAnswer original = await unbound.Knot.Client(DigTool.Kdig).QueryAsync("www.example.test.", "A");
        DigAnswer answer = await unbound.Client(DigTool.Kdig).QueryAsync("www.example.test.", "A");

        DnsAnswerComparer.AssertEquivalent(original, answer);
        Assert.True(answer.RecursionAvailable, answer.Raw);
    }

    [Fact]
    public async Task Tls_KdigWithCaAndHostname_AnswersEveryZoneCaseAsKnotDoes()
    {
        DigClient knot = unbound.Knot.Client(DigTool.Kdig);
        foreach (ZoneCase zoneCase in ExampleZone.Cases)
        {
            // Over TCP, so that the big TXT RRset comes whole from Knot too.
            DigAnswer original = await knot.QueryAsync(zoneCase.Name, zoneCase.Type, DnsTransport.Tcp);
            DigAnswer answer = await KdigTls.QueryAsync(unbound.TlsPort, zoneCase.Name, zoneCase.Type, Verified);

            Assert.Contains(";; TLS session", answer.Raw, StringComparison.Ordinal);
            Assert.Equal(zoneCase.Status, answer.Status);
            DnsAnswerComparer.AssertEquivalent(original, answer);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Https_KdigPostOrGet_AnswersAsKnotDoes(bool get)
    {
        DigClient knot = unbound.Knot.Client(DigTool.Kdig);
        foreach ((string name, string type) in new[] { ("www.example.test.", "A"), ("nodata.example.test.", "AAAA"), ("missing.example.test.", "A"), (ExampleZone.BigTxtName, "TXT") })
        {
            DigAnswer original = await knot.QueryAsync(name, type, DnsTransport.Tcp);
            DigAnswer answer = await KdigTls.QueryAsync(
                unbound.HttpsPort,
                name,
                type,
                Verified with { HttpsPath = UnboundFixture.HttpEndpoint, HttpsGet = get });

            string method = get ? "GET" : "POST";
            Assert.Contains($";; HTTP session (HTTP/2-{method})", answer.Raw, StringComparison.Ordinal);
            Assert.Contains("(status: 200)", answer.Raw, StringComparison.Ordinal);
            DnsAnswerComparer.AssertEquivalent(original, answer);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Https_CurlHttp2PostOrGet_ReturnsDnsMessage(bool get)
    {
        string curl = ExternalTool.Require("curl", "curl");
        byte[] query = Query("www.example.test.", DnsRecordType.A);
        Assert.Equal(12 + 18 + 4, query.Length);
        string directory = Directory.CreateTempSubdirectory("palisade-curl-").FullName;
        try
        {
            string queryFile = Path.Combine(directory, "query.bin");
            string responseFile = Path.Combine(directory, "response.bin");
            await File.WriteAllBytesAsync(queryFile, query);
            var arguments = new List<string>
            {
                "--silent",
                "--show-error",
                "--fail",
                "--http2",
                "--noproxy",
                "*",
                "--max-time",
                "10",
                "--cacert",
                unbound.CertificateAuthorityFile,
                "--resolve",
                $"{unbound.ServerName}:{unbound.HttpsPort}:127.0.0.1",
                "-H",
                "accept: application/dns-message",
                "--output",
                responseFile,
                "--write-out",
                "%{http_version} %{response_code} %{content_type}",
            };
            if (get)
            {
                arguments.Add(unbound.HttpsUrl + "?dns=" + Convert.ToBase64String(query).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
            }
            else
            {
                arguments.AddRange(["-H", "content-type: application/dns-message", "--data-binary", "@" + queryFile, unbound.HttpsUrl]);
            }

            ToolResult result = await ExternalTool.RunAsync(curl, arguments, CurlTimeout);

            string context = $"curl exit code {result.ExitCode}: {result.Output}\n{result.Error}\nunbound log:\n{unbound.Log}";
            Assert.True(result.ExitCode == 0, context);
            Assert.Equal("2 200 application/dns-message", result.Output.Trim());
            byte[] response = await File.ReadAllBytesAsync(responseFile);

            // The header by hand: ID 0 as sent, QR set, RCODE 0 (NOERROR), one question, three answers (CNAME, CNAME, A).
            Assert.True(response.Length > 12, context);
            Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(response));
            Assert.Equal(0x80, response[2] & 0x80);
            Assert.Equal(0, response[3] & 0x0F);
            Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(4)));
            Assert.Equal(3, BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(6)));

            // And the whole message with Palisade.Protocol.
            DnsMessage message = DnsMessage.Parse(response);
            Assert.True(message.Header.IsResponse);
            Assert.Equal(DnsResponseCode.NoError, message.ResponseCode);
            DnsQuestion question = Assert.Single(message.Questions);
            Assert.Equal("www.example.test.", question.Name.ToString());
            Assert.Equal([DnsRecordType.CNAME, DnsRecordType.CNAME, DnsRecordType.A], message.Answers.Select(r => r.Type));
            Assert.Equal(IPAddress.Parse("192.0.2.10"), Assert.IsType<ARecordData>(message.Answers[2].Data).Address);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Tls_WrongHostname_FailsVerification()
    {
        ToolResult result = await KdigTls.RunAsync(unbound.TlsPort, "www.example.test.", "A", Verified with { Hostname = "wrong.test" });

        AssertNoReply(result);
    }

    [Fact]
    public async Task Https_WrongHostname_FailsVerification()
    {
        ToolResult result = await KdigTls.RunAsync(
            unbound.HttpsPort,
            "www.example.test.",
            "A",
            Verified with { Hostname = "wrong.test", HttpsPath = UnboundFixture.HttpEndpoint });

        AssertNoReply(result);
    }

    [Fact]
    public async Task Tls_SpkiPinOfServedCertificate_Succeeds()
    {
        string pin = TestCertificateAuthority.SpkiPinBase64(unbound.ServerCertificate);
        Assert.Equal("sha256/" + pin, unbound.ServerCertificatePin);

        DigAnswer answer = await KdigTls.QueryAsync(unbound.TlsPort, "www.example.test.", "A", new KdigTlsOptions { PinBase64 = pin });

        Assert.Equal("NOERROR", answer.Status);
        Assert.Equal(3, answer.Answer.Count);
    }

    [Fact]
    public async Task Tls_SpkiPinOfAnotherCertificate_Fails()
    {
        using X509Certificate2 other = unbound.CertificateAuthority.IssueServerCertificate(unbound.ServerName, IPAddress.Loopback);

        ToolResult result = await KdigTls.RunAsync(
            unbound.TlsPort,
            "www.example.test.",
            "A",
            new KdigTlsOptions { PinBase64 = TestCertificateAuthority.SpkiPinBase64(other) });

        AssertNoReply(result);
    }

    [Theory]
    [InlineData(BadCertificate.WrongName)]
    [InlineData(BadCertificate.Untrusted)]
    [InlineData(BadCertificate.Expired)]
    public async Task Tls_BadCertificate_FailsVerificationButStillServes(BadCertificate kind)
    {
        using X509Certificate2 certificate = kind switch
        {
            BadCertificate.WrongName => unbound.CertificateAuthority.IssueWrongNameServerCertificate(),
            BadCertificate.Untrusted => TestCertificateAuthority.IssueUntrustedServerCertificate([UnboundFixture.DefaultServerName], [IPAddress.Loopback]),
            _ => unbound.CertificateAuthority.IssueExpiredServerCertificate([UnboundFixture.DefaultServerName], [IPAddress.Loopback]),
        };
        await using UnboundFixture bad = await UnboundFixture.StartAsync(new UnboundOptions
        {
            Knot = unbound.Knot,
            CertificateAuthority = unbound.CertificateAuthority,
            ServerCertificate = certificate,
        });
        Assert.Equal(certificate.Thumbprint, bad.ServerCertificate.Thumbprint);
        var verified = new KdigTlsOptions { CaFile = bad.CertificateAuthorityFile, Hostname = bad.ServerName };

        AssertNoReply(await KdigTls.RunAsync(bad.TlsPort, "www.example.test.", "A", verified));
        AssertNoReply(await KdigTls.RunAsync(bad.HttpsPort, "www.example.test.", "A", verified with { HttpsPath = UnboundFixture.HttpEndpoint }));

        // Without verification (opportunistic TLS) the same server answers: the failure above is the certificate's alone.
        DigAnswer answer = await KdigTls.QueryAsync(bad.TlsPort, "www.example.test.", "A", new KdigTlsOptions());
        Assert.Equal("NOERROR", answer.Status);
        Assert.Equal(3, answer.Answer.Count);
    }

    [Fact]
    public void Configuration_StaysOnLoopback_AndAwayFromSystemFiles()
    {
        // The settings, without the comments.
        string config = string.Join('\n', unbound.Configuration.Split('\n').Where(l => !l.TrimStart().StartsWith('#')));

        Assert.DoesNotContain("/etc/", config, StringComparison.Ordinal);
        Assert.DoesNotContain("trust-anchor", config, StringComparison.Ordinal);
        Assert.DoesNotContain("root-hints", config, StringComparison.Ordinal);
        Assert.DoesNotContain("include", config, StringComparison.Ordinal);
        Assert.Contains("module-config: \"iterator\"", config, StringComparison.Ordinal);
        Assert.Contains("forward-first: no", config, StringComparison.Ordinal);
        Assert.Contains("outgoing-interface: 127.0.0.1\n", config, StringComparison.Ordinal);
        foreach (string line in config.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("interface:", StringComparison.Ordinal) || l.StartsWith("forward-addr:", StringComparison.Ordinal)))
        {
            Assert.Matches(@"^[a-z-]+: 127\.0\.0\.1@\d+$", line);
        }

        Assert.Equal($"tls://127.0.0.1:{unbound.TlsPort}#dns.test", unbound.TlsUpstream);
        Assert.Equal($"https://dns.test:{unbound.HttpsPort}/dns-query#127.0.0.1", unbound.HttpsUpstream);
        Assert.Equal($"udp://127.0.0.1:{unbound.Port}", unbound.UdpUpstream);
        Assert.Equal(3, new[] { unbound.Port, unbound.TlsPort, unbound.HttpsPort }.Distinct().Count());
    }

    [Fact]
    public void CertificateAuthority_ServerCertificate_ChainsToTheRootAndHoldsNamesAndServerAuth()
    {
        using var chain = new X509Chain { ChainPolicy = unbound.CertificateAuthority.ChainPolicy() };
        Assert.True(chain.Build(unbound.ServerCertificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(2, chain.ChainElements.Count);
        Assert.True(unbound.ServerCertificate.HasPrivateKey);

        X509SubjectAlternativeNameExtension names = Assert.Single(unbound.ServerCertificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["dns.test"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback], names.EnumerateIPAddresses());
        X509EnhancedKeyUsageExtension usage = Assert.Single(unbound.ServerCertificate.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], usage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        Assert.True(unbound.ServerCertificate.MatchesHostname("dns.test"));
        Assert.False(unbound.ServerCertificate.MatchesHostname("wrong.test"));

        X509BasicConstraintsExtension root = Assert.Single(unbound.CertificateAuthority.Certificate.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(root.CertificateAuthority);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(unbound.CertificateAuthorityFile), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(unbound.ServerCertificateFiles.PrivateKeyPath), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestKeyAlgorithm.EcdsaP256, TestKeyAlgorithm.EcdsaP256)]
    [InlineData(TestKeyAlgorithm.Rsa2048, TestKeyAlgorithm.EcdsaP256)]
    [InlineData(TestKeyAlgorithm.EcdsaP256, TestKeyAlgorithm.Rsa2048)]
    public void CertificateAuthority_BadCertificates_FailChainOrNameChecks(TestKeyAlgorithm rootKey, TestKeyAlgorithm leafKey)
    {
        using TestCertificateAuthority authority = TestCertificateAuthority.Create(algorithm: rootKey);
        using X509Certificate2 good = authority.IssueServerCertificate(["dns.test"], [IPAddress.Loopback], algorithm: leafKey);
        using X509Certificate2 wrongName = authority.IssueWrongNameServerCertificate();
        using X509Certificate2 untrusted = TestCertificateAuthority.IssueUntrustedServerCertificate(["dns.test"]);
        using X509Certificate2 expired = authority.IssueExpiredServerCertificate(["dns.test"]);

        Assert.True(Builds(authority, good));
        Assert.True(Builds(authority, wrongName));
        Assert.False(wrongName.MatchesHostname("dns.test"));
        Assert.False(Builds(authority, untrusted));
        Assert.False(Builds(authority, expired));
        Assert.True(expired.NotAfter < DateTime.Now);

        // The PEM round trip gives back the same key.
        X509Certificate2 reloaded = X509Certificate2.CreateFromPem(good.ExportCertificatePem(), TestCertificateAuthority.PrivateKeyPem(good));
        using (reloaded)
        {
            Assert.True(reloaded.HasPrivateKey);
            Assert.Equal(TestCertificateAuthority.SpkiPin(good), TestCertificateAuthority.SpkiPin(reloaded));
        }

        Assert.StartsWith("sha256/", TestCertificateAuthority.SpkiPin(good), StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(TestCertificateAuthority.SpkiPinBase64(good)).Length);
        Assert.NotEqual(TestCertificateAuthority.SpkiPin(good), TestCertificateAuthority.SpkiPin(wrongName));
    }

    private static bool Builds(TestCertificateAuthority authority, X509Certificate2 certificate)
    {
        using var chain = new X509Chain { ChainPolicy = authority.ChainPolicy() };
        return chain.Build(certificate);
    }

    private static void AssertNoReply(ToolResult result)
    {
        string context = $"kdig exit code {result.ExitCode}:\n{result.Output}{result.Error}";
        Assert.Null(DigClient.Parse(result.Output));
        Assert.True(result.ExitCode != 0, context);
    }

    /// <summary>A query message by hand: ID 0 (RFC 8484 s4.1), RD, one question of class IN; 12 + name + 4 octets.</summary>
    private static byte[] Query(string name, DnsRecordType type)
    {
        var octets = new List<byte> { 0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (string label in name.TrimEnd('.').Split('.'))
        {
            octets.Add((byte)label.Length);
            octets.AddRange(Encoding.ASCII.GetBytes(label));
        }

        octets.Add(0);
        octets.Add((byte)((ushort)type >> 8));
        octets.Add((byte)type);
        octets.AddRange([0, 1]);
        return [.. octets];
    }
}
