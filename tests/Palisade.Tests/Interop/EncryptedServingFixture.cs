using System.Globalization;
using System.Text.RegularExpressions;

namespace Palisade.Tests.Interop;

/// <summary>
/// A Knot upstream and a palisade serving it over DNS over TLS and DNS over HTTPS, with a certificate made by the real
/// <c>palisade cert self-signed --name dns.test --name 127.0.0.1</c>, whose local authority and printed pin the tests use
/// as a client would.
/// </summary>
public sealed partial class EncryptedServingFixture : IAsyncLifetime
{
    public const string ServerName = "dns.test";

    private KnotFixture? _knot;
    private PalisadeServer? _server;
    private string? _directory;

    public KnotFixture Knot => _knot ?? throw new InvalidOperationException("not started");

    public PalisadeServer Server => _server ?? throw new InvalidOperationException("not started");

    public int TlsPort { get; private set; }

    public int HttpsPort { get; private set; }

    /// <summary>The file a client trusts the server by: the local authority palisade cert made (palisade-ca.crt).</summary>
    public string CertificateFile { get; private set; } = string.Empty;

    /// <summary>The pin palisade cert printed, without its <c>sha256/</c> prefix (as kdig takes it).</summary>
    public string PinBase64 { get; private set; } = string.Empty;

    /// <summary>The DoH URL, with <see cref="ServerName"/> as its host (curl needs <see cref="Resolve"/>).</summary>
    public string HttpsUrl => $"https://{ServerName}:{HttpsPort}/dns-query";

    /// <summary>curl's <c>--resolve</c> for <see cref="HttpsUrl"/>.</summary>
    public string Resolve => $"{ServerName}:{HttpsPort}:127.0.0.1";

    public async Task InitializeAsync()
    {
        _knot = await KnotFixture.StartAsync();
        _directory = Directory.CreateTempSubdirectory("palisade-tls-serving-").FullName;
        var certificate = PalisadeProcess.Run("cert", "self-signed", "--name", ServerName, "--name", "127.0.0.1", "--out", _directory);
        if (certificate.ExitCode != 0)
        {
            throw new InvalidOperationException($"palisade cert failed: {certificate.Error}");
        }

        CertificateFile = Path.Combine(_directory, "palisade-ca.crt");
        PinBase64 = PinLine().Match(certificate.Output).Groups[1].Value;
        TlsPort = FreePort.Pick();
        HttpsPort = FreePort.Pick();
        _server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [_knot.UdpUpstream],
            ConfigText = string.Create(CultureInfo.InvariantCulture, $"""
                tlsListen: ["127.0.0.1:{TlsPort}"]
                httpsListen: ["127.0.0.1:{HttpsPort}"]
                tls:
                  certificate: {Path.Combine(_directory, "palisade.crt")}
                  privateKey: {Path.Combine(_directory, "palisade.key")}
                blocking:
                  lists: []
                  deny: ["ads.example.test"]
                """),
        });

        // Ready means the UDP listener answers; Kestrel's HTTPS listener comes up just after it.
        await WaitForTcpAsync(HttpsPort);
        await WaitForTcpAsync(TlsPort);
    }

    private async Task WaitForTcpAsync(int port)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var client = new System.Net.Sockets.TcpClient();
            try
            {
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(50);
            }
            catch (System.Net.Sockets.SocketException exception)
            {
                throw new TimeoutException($"palisade did not listen on 127.0.0.1:{port} within 15 s:\n{Server.Describe()}", exception);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_knot is not null)
        {
            await _knot.DisposeAsync();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [GeneratedRegex(@"^SPKI pin: sha256/(\S+)$", RegexOptions.Multiline)]
    private static partial Regex PinLine();
}
