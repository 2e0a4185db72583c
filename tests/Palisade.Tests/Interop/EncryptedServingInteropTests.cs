using System.Buffers.Binary;
using System.Net.Sockets;
using Palisade.Protocol;

namespace Palisade.Tests.Interop;

/// <summary>
/// palisade serving DNS over TLS and DNS over HTTPS to real clients: kdig <c>+tls</c> and <c>+https</c> (Debian
/// knot-dnsutils) and curl over HTTP/2 and HTTP/1.1, with the certificate and pin from <c>palisade cert self-signed</c>.
/// Answers equal Knot's own; the pipeline (blocking) is the same as over UDP; plain DNS on the TLS port, a wrong name,
/// and garbage on the DoH endpoint get errors while the server goes on serving.
/// </summary>
[Trait("Category", "Interop")]
public sealed class EncryptedServingInteropTests(EncryptedServingFixture fixture) : IClassFixture<EncryptedServingFixture>
{
    private KdigTlsOptions ByPin => new() { PinBase64 = fixture.PinBase64 };

    [Fact]
    public async Task KdigTls_ByPin_AnswersEveryZoneCaseLikeKnot()
    {
        DigClient knot = fixture.Knot.Client(DigTool.Kdig);
        foreach (ZoneCase zoneCase in ExampleZone.Cases)
        {
            DigAnswer direct = await knot.QueryAsync(zoneCase.Name, zoneCase.Type, DnsTransport.Tcp);
            DigAnswer answer = await KdigTls.QueryAsync(fixture.TlsPort, zoneCase.Name, zoneCase.Type, ByPin);

            Assert.Contains(";; TLS session", answer.Raw, StringComparison.Ordinal);
            Assert.Equal(zoneCase.Status, answer.Status);
            DnsAnswerComparer.AssertEquivalent(direct, answer);
        }
    }

    [Fact]
    public async Task KdigTls_ByCaAndName_Answers()
    {
        var options = new KdigTlsOptions { CaFile = fixture.CertificateFile, Hostname = EncryptedServingFixture.ServerName };

        DigAnswer answer = await KdigTls.QueryAsync(fixture.TlsPort, "www.example.test.", "A", options);

        Assert.Equal("NOERROR", answer.Status);
        Assert.Contains(answer.Answer, r => r.Data == "192.0.2.10");
    }

    [Fact]
    public async Task KdigTls_AnswerIsPaddedToBlocksOf468()
    {
        ToolResult result = await KdigTls.RunAsync(fixture.TlsPort, "www.example.test.", "A", ByPin);

        // kdig prints ";; Received N B"; RFC 8467's block for responses is 468 octets.
        var received = System.Text.RegularExpressions.Regex.Match(result.Output, @";; Received (\d+) B");
        Assert.True(received.Success, result.Output);
        Assert.Equal(0, int.Parse(received.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) % 468);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KdigHttps_PostOrGet_AnswersLikeKnot(bool get)
    {
        var options = ByPin with { HttpsPath = "/dns-query", HttpsGet = get };
        foreach (string name in new[] { "www.example.test.", "nothing.example.test.", ExampleZone.BigTxtName })
        {
            string type = name == ExampleZone.BigTxtName ? "TXT" : "A";
            DigAnswer direct = await fixture.Knot.Client(DigTool.Kdig).QueryAsync(name, type, DnsTransport.Tcp);
            DigAnswer answer = await KdigTls.QueryAsync(fixture.HttpsPort, name, type, options);

            Assert.Contains(get ? "HTTP/2-GET" : "HTTP/2-POST", answer.Raw, StringComparison.Ordinal);
            DnsAnswerComparer.AssertEquivalent(direct, answer);
        }
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Curl_Http2OrHttp1_GetsTheDnsAnswer(bool http2, bool get)
    {
        byte[] query = Query("www.example.test.");
        string url = get ? fixture.HttpsUrl + "?dns=" + Convert.ToBase64String(query).TrimEnd('=').Replace('+', '-').Replace('/', '_') : fixture.HttpsUrl;

        CurlResult result = await Curl.RequestAsync(url, get ? null : query, fixture.Resolve, fixture.CertificateFile, http2: http2);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(http2 ? "2" : "1.1", result.HttpVersion);
        Assert.Equal(200, result.Status);
        Assert.Contains("content-type: application/dns-message", result.Headers, StringComparison.OrdinalIgnoreCase);
        var answer = DnsMessage.Parse(result.Body);
        Assert.Equal(0, answer.Id);
        Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
        Assert.Contains(answer.Answers, r => r.Data.ToString() == "192.0.2.10");

        // RFC 8484 s5.1: HTTP caches may keep it for its smallest TTL, no longer.
        var maxAge = System.Text.RegularExpressions.Regex.Match(result.Headers, @"cache-control: max-age=(\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        Assert.True(maxAge.Success, result.Headers);
        Assert.InRange(uint.Parse(maxAge.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1u, answer.Answers.Min(r => r.Ttl));
    }

    [Fact]
    public async Task Doh_BlockedName_IsBlockedLikeOverUdp()
    {
        DigAnswer answer = await KdigTls.QueryAsync(fixture.HttpsPort, "ads.example.test.", "A", ByPin with { HttpsPath = "/dns-query" });
        DigAnswer overTls = await KdigTls.QueryAsync(fixture.TlsPort, "ads.example.test.", "A", ByPin);

        Assert.Equal("0.0.0.0", Assert.Single(answer.Answer).Data);
        Assert.Equal("0.0.0.0", Assert.Single(overTls.Answer).Data);
    }

    [Theory]
    [InlineData("POST", "application/dns-message", "garbage", 400, "not a DNS query")]
    [InlineData("POST", "text/plain", "query", 415, "application/dns-message")]
    [InlineData("GET", null, "dns=!!!not-base64!!!", 400, "not base64url")]
    [InlineData("GET", null, "", 400, "needs the query in ?dns=")]
    [InlineData("GET", null, "dns=AAAA", 400, "not a DNS query")]
    public async Task Doh_BadRequest_GetsAnHttpErrorAndTheServerGoesOn(string method, string? contentType, string payload, int status, string reason)
    {
        byte[]? body = method == "POST" ? (payload == "query" ? Query("www.example.test.") : System.Text.Encoding.ASCII.GetBytes(payload)) : null;
        string url = method == "GET" ? $"{fixture.HttpsUrl}?{payload}" : fixture.HttpsUrl;

        CurlResult result = await Curl.RequestAsync(url, body, fixture.Resolve, fixture.CertificateFile, contentType ?? "application/dns-message");

        Assert.Equal(status, result.Status);
        Assert.Contains(reason, System.Text.Encoding.UTF8.GetString(result.Body), StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Doh_OtherPath_NotFound()
    {
        CurlResult result = await Curl.RequestAsync($"https://{EncryptedServingFixture.ServerName}:{fixture.HttpsPort}/admin", null, fixture.Resolve, fixture.CertificateFile);

        Assert.Equal(404, result.Status);
    }

    [Fact]
    public async Task TlsPort_PlainDnsOverTcp_GetsNoAnswerAndTheServerGoesOn()
    {
        var plain = new DigClient(DigTool.Kdig, System.Net.IPAddress.Loopback, fixture.TlsPort);

        DigAnswer? answer = await plain.TryQueryAsync(new DigQuery("www.example.test.", "A") { Transport = DnsTransport.Tcp, Timeout = TimeSpan.FromSeconds(2) });

        Assert.Null(answer);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task TlsPort_RawGarbage_IsClosedAndTheServerGoesOn()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, fixture.TlsPort);
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0xFF, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9 });
        byte[] buffer = new byte[1024];
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        // The handshake fails: an alert, then the end of the stream.
        while (await stream.ReadAsync(buffer, bound.Token) > 0)
        {
        }

        await AssertStillServingAsync();
    }

    [Fact]
    public async Task WrongName_TlsAndHttps_HandshakeRefused()
    {
        var wrong = new KdigTlsOptions { CaFile = fixture.CertificateFile, Hostname = TestCertificateAuthority.WrongName };

        ToolResult overTls = await KdigTls.RunAsync(fixture.TlsPort, "www.example.test.", "A", wrong);
        CurlResult overHttps = await Curl.RequestAsync(
            $"https://{TestCertificateAuthority.WrongName}:{fixture.HttpsPort}/dns-query",
            Query("www.example.test."),
            $"{TestCertificateAuthority.WrongName}:{fixture.HttpsPort}:127.0.0.1",
            fixture.CertificateFile);

        Assert.Null(DigClient.Parse(overTls.Output));
        Assert.Contains("TLS fatal alert", overTls.Output + overTls.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, overHttps.ExitCode);
        Assert.Equal(0, overHttps.Status);
        Assert.Contains("unrecognized name", overHttps.Error, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    /// <summary>
    /// RFC 6066 s3: a name the certificate is not for gets the fatal <c>unrecognized_name</c> alert (112), not a closed
    /// or reset connection, over DNS over TLS and over HTTPS, and in TLS 1.2 as in 1.3.
    /// </summary>
    [Theory]
    [InlineData(false, "-tls1_3")]
    [InlineData(false, "-tls1_2")]
    [InlineData(true, "-tls1_3")]
    public async Task WrongName_OpenSslClient_GetsUnrecognizedNameAlert(bool https, string version)
    {
        int port = https ? fixture.HttpsPort : fixture.TlsPort;
        string openssl = ExternalTool.Require("openssl", "openssl");

        ToolResult result = await ExternalTool.RunAsync(
            openssl,
            ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", TestCertificateAuthority.WrongName, version],
            TimeSpan.FromSeconds(15));

        string printed = result.Output + result.Error;
        Assert.Contains("tlsv1 unrecognized name", printed, StringComparison.Ordinal);
        Assert.Contains("SSL alert number 112", printed, StringComparison.Ordinal);
        Assert.Contains("no peer certificate available", printed, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    private async Task AssertStillServingAsync()
    {
        DigAnswer overUdp = await fixture.Server.Client().QueryAsync("www.example.test.", "A");
        DigAnswer overTls = await KdigTls.QueryAsync(fixture.TlsPort, "www.example.test.", "A", ByPin);

        Assert.Equal("NOERROR", overUdp.Status);
        Assert.Equal("NOERROR", overTls.Status);
    }

    /// <summary>A query with ID 0 (RFC 8484 s4.1), RD set and no EDNS, for <paramref name="name"/> A.</summary>
    private static byte[] Query(string name)
    {
        var message = new DnsMessage { Header = new DnsHeader { Id = 0, RecursionDesired = true } };
        message.Questions.Add(new DnsQuestion(DnsName.Parse(name), DnsRecordType.A, DnsClass.IN));
        byte[] buffer = new byte[512];
        Assert.True(message.TryWrite(buffer, out int length));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(buffer));
        return buffer[..length];
    }
}
