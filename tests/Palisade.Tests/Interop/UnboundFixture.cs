using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Palisade.Tests.Interop;

/// <summary>What an <see cref="UnboundFixture"/> forwards to and which certificate it serves.</summary>
public sealed record UnboundOptions
{
    /// <summary>The Knot to forward every query to; null starts one (owned and stopped by the fixture).</summary>
    public KnotFixture? Knot { get; init; }

    /// <summary>
    /// The authority exposed as <see cref="UnboundFixture.CertificateAuthority"/> and, when <see cref="ServerCertificate"/> is
    /// null, the issuer of the served certificate. Null makes a new one (owned and disposed by the fixture).
    /// </summary>
    public TestCertificateAuthority? CertificateAuthority { get; init; }

    /// <summary>
    /// The certificate (with its private key) Unbound serves on the TLS and HTTPS ports; null issues one from the authority for
    /// <see cref="UnboundFixture.DefaultServerName"/> and 127.0.0.1. Pass a wrong-name, expired or untrusted one for negative tests.
    /// The caller keeps ownership.
    /// </summary>
    public X509Certificate2? ServerCertificate { get; init; }
}

/// <summary>
/// A real Unbound (Debian package unbound, 1.17 or later, built with libnghttp2) on 127.0.0.1 at free high ports, answering
/// plain DNS over UDP and TCP, DNS over TLS (RFC 7858) and DNS over HTTPS (RFC 8484, HTTP/2, POST and GET at /dns-query). It
/// resolves nothing itself: a forward zone for "." sends every query to a <see cref="KnotFixture"/> on loopback, with the
/// iterator module alone (no validator, no trust anchor, no root hints used, outgoing sockets bound to 127.0.0.1), so it
/// never sends a packet off loopback. Config, certificate files, pidfile and working directory live in a temp folder removed
/// on dispose; the system config /etc/unbound/unbound.conf and the system service are never touched. When unbound is not
/// installed, starting fails with a message saying to run scripts/test.sh. Use it as an xunit class or collection fixture
/// (defaults), or start one with <see cref="StartAsync"/> and <see cref="UnboundOptions"/> to share a Knot or serve a chosen
/// certificate.
/// </summary>
public sealed class UnboundFixture : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>The name the default certificate is issued for (with IP address 127.0.0.1).</summary>
    public const string DefaultServerName = "dns.test";

    /// <summary>The path Unbound answers DNS over HTTPS on.</summary>
    public const string HttpEndpoint = "/dns-query";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    private readonly UnboundOptions _options;
    private DaemonProcess? _process;
    private string? _directory;
    private KnotFixture? _knot;
    private bool _ownsKnot;
    private TestCertificateAuthority? _authority;
    private bool _ownsAuthority;
    private X509Certificate2? _serverCertificate;
    private bool _ownsServerCertificate;

    /// <summary>
    /// A fixture with the defaults (its own Knot, authority and dns.test certificate), as xunit's IClassFixture makes it (xunit
    /// wants a single public constructor: other options go through <see cref="StartAsync"/>).
    /// </summary>
    public UnboundFixture()
        : this(new UnboundOptions())
    {
    }

    private UnboundFixture(UnboundOptions options)
    {
        _options = options;
    }

    /// <summary>The plain DNS port (UDP and TCP) at 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The DNS over TLS port at 127.0.0.1.</summary>
    public int TlsPort { get; private set; }

    /// <summary>The DNS over HTTPS port at 127.0.0.1 (HTTP/2 over TLS; path <see cref="HttpEndpoint"/>).</summary>
    public int HttpsPort { get; private set; }

    /// <summary>The name clients verify the certificate against: <see cref="DefaultServerName"/>, "dns.test".</summary>
    public string ServerName { get; } = DefaultServerName;

    /// <summary>127.0.0.1:<see cref="Port"/>.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The Knot everything is forwarded to.</summary>
    public KnotFixture Knot => _knot ?? throw NotStarted();

    /// <summary>The test root authority; it issued the served certificate unless <see cref="UnboundOptions.ServerCertificate"/> was given.</summary>
    public TestCertificateAuthority CertificateAuthority => _authority ?? throw NotStarted();

    /// <summary>The authority's root certificate as a PEM file in the temp folder (kdig +tls-ca, curl --cacert, palisade's CA option).</summary>
    public string CertificateAuthorityFile { get; private set; } = string.Empty;

    /// <summary>The certificate Unbound serves on the TLS and HTTPS ports.</summary>
    public X509Certificate2 ServerCertificate => _serverCertificate ?? throw NotStarted();

    /// <summary>The served certificate and key as PEM files in the temp folder (Unbound's tls-service-pem and tls-service-key).</summary>
    public CertificateFiles ServerCertificateFiles { get; private set; } = new(string.Empty, string.Empty);

    /// <summary>The served certificate's SPKI pin, "sha256/" + Base64.</summary>
    public string ServerCertificatePin => TestCertificateAuthority.SpkiPin(ServerCertificate);

    /// <summary>The temp folder holding unbound.conf, the PEM files and the pidfile.</summary>
    public string TempDirectory => _directory ?? throw NotStarted();

    /// <summary>The unbound.conf text Unbound runs with.</summary>
    public string Configuration { get; private set; } = string.Empty;

    /// <summary>The <c>--upstream</c> value for this Unbound over UDP.</summary>
    public string UdpUpstream => $"udp://127.0.0.1:{Port}";

    /// <summary>The <c>--upstream</c> value for this Unbound over TCP.</summary>
    public string TcpUpstream => $"tcp://127.0.0.1:{Port}";

    /// <summary>The <c>--upstream</c> value for this Unbound over TLS: connect to 127.0.0.1, verify the name <see cref="ServerName"/>.</summary>
    public string TlsUpstream => $"tls://127.0.0.1:{TlsPort}#{ServerName}";

    /// <summary>The <c>--upstream</c> value for this Unbound over HTTPS: URL with the name <see cref="ServerName"/>, bootstrap address 127.0.0.1.</summary>
    public string HttpsUpstream => $"https://{ServerName}:{HttpsPort}{HttpEndpoint}#127.0.0.1";

    /// <summary>The DNS over HTTPS URL (its host does not resolve: connect to 127.0.0.1).</summary>
    public string HttpsUrl => $"https://{ServerName}:{HttpsPort}{HttpEndpoint}";

    /// <summary>What unbound has written to stdout and stderr so far (verbosity 1: start-up notices, warnings, errors).</summary>
    public string Log => _process?.Log ?? string.Empty;

    /// <summary>Starts an Unbound and returns it once it answers over UDP and its TLS and HTTPS ports accept connections (within 10 s).</summary>
    public static async Task<UnboundFixture> StartAsync(UnboundOptions? options = null)
    {
        var unbound = new UnboundFixture(options ?? new UnboundOptions());
        try
        {
            await unbound.InitializeAsync();
            return unbound;
        }
        catch
        {
            await unbound.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of <paramref name="tool"/> pointed at this Unbound's plain DNS port.</summary>
    public DigClient Client(DigTool tool = DigTool.Dig) => new(tool, IPAddress.Loopback, Port);

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        string unbound = ExternalTool.Require("unbound", "unbound");
        _directory = Directory.CreateTempSubdirectory("palisade-unbound-").FullName;

        if (_options.Knot is null)
        {
            _knot = await KnotFixture.StartAsync();
            _ownsKnot = true;
        }
        else
        {
            _knot = _options.Knot;
        }

        if (_options.CertificateAuthority is null)
        {
            _authority = TestCertificateAuthority.Create();
            _ownsAuthority = true;
        }
        else
        {
            _authority = _options.CertificateAuthority;
        }

        if (_options.ServerCertificate is null)
        {
            _serverCertificate = _authority.IssueServerCertificate(DefaultServerName, IPAddress.Loopback);
            _ownsServerCertificate = true;
        }
        else
        {
            _serverCertificate = _options.ServerCertificate;
        }

        CertificateAuthorityFile = Path.Combine(_directory, "ca.pem");
        _authority.WriteCertificatePem(CertificateAuthorityFile);
        ServerCertificateFiles = TestCertificateAuthority.WriteServerPem(_serverCertificate, _directory, "server");

        Port = FreePort.Pick();
        TlsPort = PickDistinct(Port);
        HttpsPort = PickDistinct(Port, TlsPort);
        Configuration = BuildConfiguration(_directory, Port, TlsPort, HttpsPort, _knot.Port, ServerCertificateFiles);
        string config = Path.Combine(_directory, "unbound.conf");
        await File.WriteAllTextAsync(config, Configuration);

        // -d: stay in the foreground and log to stderr (logfile ""); -c: our config, never /etc/unbound/unbound.conf.
        _process = DaemonProcess.Start(unbound, _directory, "-d", "-c", config);

        await WaitUntilReadyAsync();
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }

        if (_ownsKnot && _knot is not null)
        {
            await _knot.DisposeAsync();
        }

        _knot = null;
        if (_ownsServerCertificate)
        {
            _serverCertificate?.Dispose();
        }

        _serverCertificate = null;
        if (_ownsAuthority)
        {
            _authority?.Dispose();
        }

        _authority = null;
        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Left behind in the temp folder; harmless.
            }

            _directory = null;
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>The unbound.conf for one run. Every choice here keeps Unbound on loopback and away from the system's files.</summary>
    public static string BuildConfiguration(string directory, int port, int tlsPort, int httpsPort, int knotPort, CertificateFiles certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"""
            # Generated by UnboundFixture for one test run.
            server:
                verbosity: 1
                num-threads: 1
                # Plain DNS (UDP and TCP), DNS over TLS (port = tls-port), DNS over HTTPS (port = https-port), all on 127.0.0.1.
                interface: 127.0.0.1@{port}
                interface: 127.0.0.1@{tlsPort}
                interface: 127.0.0.1@{httpsPort}
                port: {port}
                tls-port: {tlsPort}
                https-port: {httpsPort}
                http-endpoint: "{HttpEndpoint}"
                tls-service-key: "{certificate.PrivateKeyPath}"
                tls-service-pem: "{certificate.CertificatePath}"
                # A port clash must fail the start, not share the port with another process.
                so-reuseport: no
                do-ip4: yes
                do-ip6: no
                do-udp: yes
                do-tcp: yes
                # Outgoing queries leave from 127.0.0.1 only (to Knot; see the forward zone).
                outgoing-interface: 127.0.0.1
                do-not-query-localhost: no
                # No validator, hence no trust anchor (no auto-trust-anchor-file, no root.key) and no DNSSEC fetches.
                module-config: "iterator"
                prefetch: no
                # Unbound serves test. itself (RFC 6761, an empty local zone); let example.test. go to Knot instead.
                local-zone: "test." nodefault
                access-control: 127.0.0.0/8 allow
                # Run as the current user, in the temp folder, logging to stderr.
                username: ""
                chroot: ""
                directory: "{directory}"
                pidfile: "{Path.Combine(directory, "unbound.pid")}"
                use-syslog: no
                logfile: ""
                log-time-ascii: yes

            # No remote control: no control socket, no keys in /etc/unbound.
            remote-control:
                control-enable: no

            # Everything goes to Knot; never to the root servers (forward-first: no means no fallback to root hints).
            forward-zone:
                name: "."
                forward-addr: 127.0.0.1@{knotPort}
                forward-first: no
                forward-tls-upstream: no

            """);
    }

    private static int PickDistinct(params int[] taken)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            int port = FreePort.Pick();
            if (!taken.Contains(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException("could not find distinct free ports");
    }

    private static InvalidOperationException NotStarted() => new("the Unbound fixture is not started");

    private static async Task<bool> AcceptsConnectionAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), bound.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        DaemonProcess process = _process!;
        DigClient client = Client(DigTool.Kdig);
        var clock = Stopwatch.StartNew();
        bool answers = false;
        bool tls = false;
        bool https = false;
        while (clock.Elapsed < ReadyTimeout)
        {
            if (process.HasExited)
            {
                // Let the output readers drain before quoting the log.
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"unbound exited with code {process.ExitCode} before answering; its log:\n{Log}\nconfig:\n{Configuration}");
            }

            if (!answers)
            {
                DigAnswer? answer = await client.TryQueryAsync(new DigQuery(KnotFixture.ZoneName, "SOA") { Timeout = TimeSpan.FromSeconds(1) });
                answers = answer is { Status: "NOERROR" } && answer.Answer.Any(r => r.Type == "SOA");
            }

            tls = tls || await AcceptsConnectionAsync(TlsPort);
            https = https || await AcceptsConnectionAsync(HttpsPort);
            if (answers && tls && https)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException(
            $"unbound was not ready within {ReadyTimeout.TotalSeconds} s (answers {KnotFixture.ZoneName} SOA on {Port}: {answers}; " +
            $"TLS port {TlsPort} open: {tls}; HTTPS port {HttpsPort} open: {https}); its log:\n{Log}\nconfig:\n{Configuration}");
    }

}
