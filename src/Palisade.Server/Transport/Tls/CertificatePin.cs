using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Palisade.Server.Transport.Tls;

/// <summary>
/// The pin of a certificate's public key: <c>sha256/</c> and the base64 SHA-256 of its SubjectPublicKeyInfo, the form of
/// HPKP (RFC 7469) that kdig's <c>+tls-pin</c> and Palisade's own <c>?pin=</c> take (kdig without the prefix).
/// </summary>
public static class CertificatePin
{
    public const string Prefix = "sha256/";

    /// <summary>The SHA-256 of the certificate's SubjectPublicKeyInfo.</summary>
    public static byte[] Digest(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo());
    }

    /// <summary><c>sha256/BASE64</c>.</summary>
    public static string Of(X509Certificate2 certificate) => Prefix + Convert.ToBase64String(Digest(certificate));
}
