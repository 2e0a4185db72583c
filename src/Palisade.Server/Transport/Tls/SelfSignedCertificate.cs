using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Palisade.Server.Transport.Tls;

/// <summary>
/// A self-signed certificate for serving DNS over TLS and HTTPS on a home network (<c>palisade cert self-signed</c>): an
/// ECDSA P-256 key, the given host names and IP addresses as subject alternative names, for server authentication only.
/// Clients trust it by its pin or by adding it to their trust store.
/// </summary>
public static class SelfSignedCertificate
{
    /// <summary>Makes the certificate; the first name is also its common name.</summary>
    public static X509Certificate2 Create(IReadOnlyList<string> names, TimeSpan validity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            throw new ArgumentException("At least one name is needed.", nameof(names));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(names[0]);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(AlternativeNames(names));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        // Back-dated a little, so that a client whose clock is slightly behind does not see it as not yet valid.
        return request.CreateSelfSigned(now.AddMinutes(-5), now + validity);
    }

    /// <summary>The subject alternative names: each name as an IP address when it is one, else as a DNS name.</summary>
    internal static X509Extension AlternativeNames(IEnumerable<string> names)
    {
        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                alternativeNames.AddIpAddress(address);
            }
            else
            {
                alternativeNames.AddDnsName(name);
            }
        }

        return alternativeNames.Build();
    }

    /// <summary>Whether <paramref name="name"/> can go on the certificate: a host name or an IP address.</summary>
    public static bool IsValidName(string name) =>
        IPAddress.TryParse(name, out _) ||
        (name.Length is > 0 and <= 253 && Uri.CheckHostName(name.TrimStart('*', '.')) == UriHostNameType.Dns);
}
