using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Palisade.Server.Configuration;
using Palisade.Server.Transport.Tls;

namespace Palisade.Server.Transport.Upstreams.Encrypted;

/// <summary>
/// How Palisade checks an encrypted upstream's certificate: against the system's trust store (OpenSSL's, so
/// <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c> work as usual), for the upstream's name (or its IP address when only an
/// address is given), and against the optional SPKI pin. What went wrong is kept, so that the failure can say why;
/// there is never a fall back to plain DNS.
/// </summary>
internal sealed class UpstreamTls
{
    private readonly UpstreamOptions _upstream;
    private readonly byte[]? _pin;
    private readonly X509Certificate2Collection? _trustedRoots;
    private string? _lastProblem;

    /// <summary>Checks for <paramref name="upstream"/>; <paramref name="trustedRoots"/> trusts more roots than the system's (tests).</summary>
    public UpstreamTls(UpstreamOptions upstream, X509Certificate2Collection? trustedRoots = null)
    {
        _upstream = upstream;
        _trustedRoots = trustedRoots;
        TargetHost = upstream.TlsName ?? upstream.EndPoint!.Address.ToString();
        _pin = upstream.Pin is { } pin ? Convert.FromBase64String(pin[CertificatePin.Prefix.Length..]) : null;
    }

    /// <summary>
    /// Whether a matching pin is enough on its own, as kdig's <c>+tls-pin</c> and the out-of-band key-pinned profile of
    /// RFC 7858 s4.2 have it: a certificate whose chain is not trusted is then accepted when its key is the pinned one
    /// (the name is still checked). For <c>palisade query</c>; upstreams of <c>serve</c> need both.
    /// </summary>
    public bool PinSuffices { get; init; }

    /// <summary>The name (or IP address) the certificate must be valid for; a name is also sent as SNI.</summary>
    public string TargetHost { get; }

    /// <summary>Client options for one handshake; <paramref name="applicationProtocols"/> for ALPN (HTTP/2, HTTP/1.1).</summary>
    public SslClientAuthenticationOptions CreateOptions(List<SslApplicationProtocol>? applicationProtocols = null) => new()
    {
        TargetHost = TargetHost,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = Validate,
        ApplicationProtocols = applicationProtocols,
    };

    /// <summary>Whether the last handshake failed because the certificate was refused (not yet reported).</summary>
    public bool HasCertificateProblem => Volatile.Read(ref _lastProblem) is not null;

    /// <summary>An <see cref="UpstreamException"/> for a failed handshake, saying why the certificate was refused if it was.</summary>
    public UpstreamException HandshakeFailed(Exception exception)
    {
        string? problem = Interlocked.Exchange(ref _lastProblem, null);
        return problem is not null
            ? new UpstreamException($"the TLS certificate of {_upstream} was refused: {problem}", exception) { IsLasting = true }
            : new UpstreamException($"the TLS handshake with {_upstream} failed: {exception.Message}", exception);
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        string? problem = Problem(certificate, chain, errors);
        if (problem is not null)
        {
            _lastProblem = problem;
            return false;
        }

        return true;
    }

    private string? Problem(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null &&
            ((_trustedRoots is not null && IsTrustedByExtraRoots(certificate)) || (PinSuffices && _pin is not null && MatchesPin(certificate, chain: null))))
        {
            errors = SslPolicyErrors.None;
        }

        if (PinSuffices && _pin is not null && errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null)
        {
            // The pin was to vouch for an untrusted chain, and did not match: that is what the user needs to hear.
            return PinMismatch(certificate);
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the server sent no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"it is not valid for {TargetHost} (subject {certificate.Subject})";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError)
                .Select(s => $"{s.Status}: {s.StatusInformation.Trim()}")
                .Distinct(StringComparer.Ordinal)
                .ToList();
            string detail = statuses is { Count: > 0 } ? string.Join("; ", statuses) : "the chain could not be built";
            return $"it is not trusted ({detail}; issuer {certificate.Issuer})";
        }

        if (errors != SslPolicyErrors.None)
        {
            return errors.ToString();
        }

        return _pin is not null && !MatchesPin(certificate, chain) ? PinMismatch(certificate) : null;
    }

    private string PinMismatch(X509Certificate certificate)
    {
        using var leaf = new X509Certificate2(certificate);
        return $"its key does not match the pin {_upstream.Pin} (the server's key is {CertificatePin.Of(leaf)})";
    }

    private bool IsTrustedByExtraRoots(X509Certificate certificate)
    {
        using var leaf = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trustedRoots!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    /// <summary>Whether the leaf or any certificate in its chain has the pinned key.</summary>
    private bool MatchesPin(X509Certificate certificate, X509Chain? chain)
    {
        using var leaf = new X509Certificate2(certificate);
        if (HasPinnedKey(leaf))
        {
            return true;
        }

        return chain is not null && chain.ChainElements.Any(e => HasPinnedKey(e.Certificate));
    }

    private bool HasPinnedKey(X509Certificate2 certificate) => CertificatePin.Digest(certificate).AsSpan().SequenceEqual(_pin);
}
