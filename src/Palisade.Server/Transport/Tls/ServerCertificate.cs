using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Palisade.Server.Transport.Tls;

/// <summary>
/// The certificate Palisade serves DNS over TLS and HTTPS with, from the PEM files <c>tls.certificate</c> (the
/// certificate, then any intermediates) and <c>tls.privateKey</c>. The files are looked at again, at most every few
/// seconds, when a client connects: a renewed certificate (certbot, say) is taken up without a restart. A renewed pair
/// that does not load is logged and the one in use stays.
/// </summary>
public sealed partial class ServerCertificate : IDisposable
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Loaded _current;
    private DateTimeOffset _nextCheck;

    private ServerCertificate(string certificatePath, string keyPath, Loaded loaded, TimeProvider timeProvider, ILogger logger)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _current = loaded;
        _timeProvider = timeProvider;
        _logger = logger;
        _nextCheck = timeProvider.GetUtcNow() + CheckInterval;
    }

    /// <summary>The certificate in use now (after a reload if the files changed).</summary>
    public X509Certificate2 Certificate => Current.Certificate;

    private Loaded Current
    {
        get
        {
            var now = _timeProvider.GetUtcNow();
            lock (_lock)
            {
                if (now >= _nextCheck)
                {
                    _nextCheck = now + CheckInterval;
                    ReloadIfChanged();
                }

                return _current;
            }
        }
    }

    /// <summary>Loads the pair; throws <see cref="TlsCertificateException"/> saying which file is wrong and why.</summary>
    public static ServerCertificate Load(string certificatePath, string keyPath, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new ServerCertificate(certificatePath, keyPath, LoadPair(certificatePath, keyPath), timeProvider, logger);
    }

    /// <summary>
    /// The context to answer a TLS client with, or null when the client asked (by SNI) for a name this certificate is
    /// not for: such a handshake is refused rather than answered with a certificate the client will reject anyway.
    /// </summary>
    public SslStreamCertificateContext? ContextFor(string? serverName)
    {
        var current = Current;
        return string.IsNullOrEmpty(serverName) || current.Certificate.MatchesHostname(serverName) ? current.Context : null;
    }

    /// <summary>The names the certificate is for (its DNS names), for log lines and error messages.</summary>
    public string Names => string.Join(", ", Certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false));

    public void Dispose()
    {
        lock (_lock)
        {
            _current.Certificate.Dispose();
        }
    }

    private void ReloadIfChanged()
    {
        DateTime certificateTime = File.GetLastWriteTimeUtc(_certificatePath);
        DateTime keyTime = File.GetLastWriteTimeUtc(_keyPath);
        if (certificateTime == _current.CertificateTime && keyTime == _current.KeyTime)
        {
            return;
        }

        try
        {
            var loaded = LoadPair(_certificatePath, _keyPath);
            _current = loaded;
            LogReloaded(_logger, _certificatePath, loaded.Certificate.Subject, loaded.Certificate.NotAfter);
        }
        catch (TlsCertificateException exception)
        {
            // Keep serving with the pair that worked; look again when the files change once more.
            _current = _current with { CertificateTime = certificateTime, KeyTime = keyTime };
            LogReloadFailed(_logger, exception.Message);
        }
    }

    private static Loaded LoadPair(string certificatePath, string keyPath)
    {
        DateTime certificateTime = File.GetLastWriteTimeUtc(certificatePath);
        DateTime keyTime = File.GetLastWriteTimeUtc(keyPath);
        X509Certificate2Collection chain;
        X509Certificate2 certificate;
        try
        {
            chain = [];
            chain.ImportFromPemFile(certificatePath);
            if (chain.Count == 0)
            {
                throw new TlsCertificateException($"tls.certificate: {certificatePath} holds no PEM certificate");
            }

            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new TlsCertificateException($"tls: cannot read {certificatePath} or {keyPath}: {exception.Message}", exception);
        }
        catch (CryptographicException exception)
        {
            throw new TlsCertificateException(
                $"tls: {certificatePath} and {keyPath} are not a PEM certificate and its private key ({exception.Message})", exception);
        }
        catch (ArgumentException exception)
        {
            throw new TlsCertificateException($"tls: {keyPath} holds no private key that goes with {certificatePath} ({exception.Message})", exception);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new TlsCertificateException($"tls.privateKey: {keyPath} does not hold the private key of {certificatePath}");
        }

        // The intermediates are sent with the certificate, so that clients can build the chain.
        var intermediates = new X509Certificate2Collection();
        for (int i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        var context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
        return new Loaded(certificate, context, certificateTime, keyTime);
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Loaded the renewed TLS certificate {Path} ({Subject}, valid until {NotAfter:u})")]
    private static partial void LogReloaded(ILogger logger, string path, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "The TLS certificate files changed but do not load ({Problem}); still serving the one loaded before")]
    private static partial void LogReloadFailed(ILogger logger, string problem);

    private sealed record Loaded(X509Certificate2 Certificate, SslStreamCertificateContext Context, DateTime CertificateTime, DateTime KeyTime);
}
