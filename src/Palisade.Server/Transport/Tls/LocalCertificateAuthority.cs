using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Palisade.Server.Transport.Tls;

/// <summary>
/// A small certificate authority of one's own, as mkcert makes (<c>palisade cert self-signed</c>): a CA certificate that
/// browsers and phones can import as an authority (Firefox refuses a certificate with <c>CA:FALSE</c> there), and the
/// server certificates it signs. Kept beside the server's files, it is reused when the server certificate is renewed,
/// so that devices import it once.
/// </summary>
public static class LocalCertificateAuthority
{
    /// <summary>How long a new authority is valid: long, since every device that trusts it would have to import a new one.</summary>
    public static readonly TimeSpan AuthorityValidity = TimeSpan.FromDays(3650);

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>
    /// Makes an authority: an ECDSA P-256 key, <c>CA:TRUE</c> with a path length of 0 (it signs server certificates only,
    /// never another authority), key usage <c>keyCertSign</c> and <c>cRLSign</c>. <paramref name="commonName"/> should be
    /// unique (a host name and date, say), so that two such authorities imported on one device are told apart.
    /// </summary>
    public static X509Certificate2 CreateAuthority(string commonName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        subject.AddOrganizationName("Palisade local CA");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now + AuthorityValidity);
    }

    /// <summary>
    /// Signs a server certificate for <paramref name="names"/> (the first is also the common name) with
    /// <paramref name="serverKey"/>: <c>CA:FALSE</c>, <c>digitalSignature</c>, <c>serverAuth</c>, the names as subject
    /// alternative names. It ends at the latest when the authority does. The result carries no private key.
    /// </summary>
    public static X509Certificate2 IssueServerCertificate(X509Certificate2 authority, ECDsa serverKey, IReadOnlyList<string> names, TimeSpan validity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            throw new ArgumentException("At least one name is needed.", nameof(names));
        }

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(names[0]);
        var request = new CertificateRequest(subject.Build(), serverKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(SelfSignedCertificate.AlternativeNames(names));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        // Back-dated a little, so that a client whose clock is slightly behind does not see it as not yet valid; a
        // certificate may not outlive its issuer.
        var notAfter = now + validity;
        var authorityEnd = new DateTimeOffset(authority.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (notAfter > authorityEnd)
        {
            notAfter = authorityEnd;
        }

        Span<byte> serial = stackalloc byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // a positive serial number (RFC 5280 s4.1.2.2)
        return request.Create(authority, now.AddMinutes(-5), notAfter, serial);
    }

    /// <summary>Whether <paramref name="certificate"/> can sign server certificates: <c>CA:TRUE</c> and <c>keyCertSign</c>.</summary>
    public static bool IsAuthority(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        return constraints is { CertificateAuthority: true } &&
            (usage is null || usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> was signed by <paramref name="authority"/> (an expired one too: renewing it
    /// is the point).
    /// </summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 authority)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(authority);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(certificate) && chain.ChainElements.Count == 2;
    }
}
