using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Listeners;
using Palisade.Server.Transport.Tls;

namespace Palisade.Server.Tests.Transport.Tls;

/// <summary>
/// The DNS over TLS listener and a client asking (by SNI) for a name the certificate is not for: the bytes it reads are
/// the fatal <c>unrecognized_name</c> alert record, then the end of the stream (RFC 6066 s3).
/// </summary>
public sealed class UnrecognizedNameTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-sni-").FullName;
    private ServerCertificate? _certificate;
    private DnsServer? _server;
    private string _thumbprint = string.Empty;

    public async Task InitializeAsync()
    {
        string certificatePath = Path.Combine(_directory, "cert.pem");
        string keyPath = Path.Combine(_directory, "key.pem");
        using (var made = SelfSignedCertificate.Create(["dns.test"], TimeSpan.FromDays(1), DateTimeOffset.UtcNow))
        {
            _thumbprint = made.Thumbprint;
            await File.WriteAllTextAsync(certificatePath, made.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, made.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        }

        _certificate = ServerCertificate.Load(certificatePath, keyPath, TimeProvider.System, NullLogger.Instance);
        _server = await DnsServer.StartAsync(
            [new IPEndPoint(IPAddress.Loopback, 0)],
            PipelineBuilder.Build(new Dropping()),
            new ListenerLimits(),
            TimeProvider.System,
            NullLoggerFactory.Instance,
            [new IPEndPoint(IPAddress.Loopback, 0)],
            _certificate);
    }

    public async Task DisposeAsync()
    {
        await _server!.StopAsync();
        await _server.DisposeAsync();
        _certificate!.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task Handshake_NameNotOnTheCertificate_UnrecognizedNameAlertThenEnd(SslProtocols protocol)
    {
        var (failure, received) = await HandshakeAsync("wrong.example", protocol);

        Assert.NotNull(failure);
        Assert.Equal(TlsAlert.UnrecognizedName.ToArray(), received);
    }

    [Fact]
    public async Task Handshake_NameOnTheCertificate_Completes()
    {
        var (failure, _) = await HandshakeAsync("dns.test", SslProtocols.Tls13);

        Assert.Null(failure);
    }

    /// <summary>A TLS handshake as <paramref name="serverName"/>; what failed, and every byte the server sent.</summary>
    private async Task<(Exception? Failure, byte[] Received)> HandshakeAsync(string serverName, SslProtocols protocol)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_server!.TlsEndPoints[0]);
        var recording = new RecordingStream(client.GetStream());
        await using var tls = new SslStream(recording);
        Exception? failure = null;
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = serverName,
                    EnabledSslProtocols = protocol,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == _thumbprint,
                },
                bound.Token);
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException)
        {
            failure = exception;

            // Nothing more comes after the alert: the server closes the connection.
            byte[] rest = new byte[64];
            while (await recording.ReadAsync(rest, bound.Token) > 0)
            {
            }
        }

        return (failure, recording.Received.ToArray());
    }

    /// <summary>A stream that keeps a copy of everything read through it.</summary>
    private sealed class RecordingStream(Stream inner) : Stream
    {
        public MemoryStream Received { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await inner.ReadAsync(buffer, cancellationToken);
            Received.Write(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                Received.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class Dropping : IQueryHandler
    {
        public ValueTask<QueryResult> HandleAsync(QueryContext context) => ValueTask.FromResult(QueryResult.Drop);
    }
}
