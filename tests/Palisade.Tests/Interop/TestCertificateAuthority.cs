using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Palisade.Tests.Interop;

/// <summary>The key a certificate made by <see cref="TestCertificateAuthority"/> carries.</summary>
public enum TestKeyAlgorithm
{
    /// <summary>ECDSA on NIST P-256, signed with SHA-256 (the default: small and fast to make).</summary>
    EcdsaP256,

    /// <summary>RSA 2048, signed with SHA-256 and PKCS#1 v1.5 padding.</summary>
    Rsa2048,
}

/// <summary>Where <see cref="TestCertificateAuthority.WriteServerPem"/> put a certificate and its private key.</summary>
/// <param name="CertificatePath">PEM "CERTIFICATE": the leaf only (the issuer is a root, so there is no intermediate to add).</param>
/// <param name="PrivateKeyPath">PEM "PRIVATE KEY" (unencrypted PKCS#8).</param>
public sealed record CertificateFiles(string CertificatePath, string PrivateKeyPath);

/// <summary>
/// A throwaway root certificate authority made in memory by the test (no openssl command line), and the server certificates it
/// issues: leaf certificates with a subject alternative name for DNS names and/or IP addresses and the serverAuth extended key
/// usage, valid from an hour ago for a week unless asked otherwise. Also makes the certificates negative tests need: one for the
/// wrong name, one from a different (untrusted) authority, one that has expired. Nothing is trusted system-wide: clients are
/// given <see cref="WriteCertificatePem"/>'s file (kdig +tls-ca, curl --cacert) or <see cref="ChainPolicy"/>.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    /// <summary>The name <see cref="IssueWrongNameServerCertificate"/> issues for.</summary>
    public const string WrongName = "wrong.test";

    private static readonly TimeSpan Backdate = TimeSpan.FromHours(1);
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(7);
    private static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(30);

    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    private TestCertificateAuthority(X509Certificate2 certificate)
    {
        Certificate = certificate;
    }

    /// <summary>The self-signed root, with its private key. Valid from 30 days ago to 30 days ahead, so that back-dated (expired) leaves fit inside it.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The root as PEM ("-----BEGIN CERTIFICATE-----").</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>Makes a new root authority: CA basic constraint (critical), keyCertSign and cRLSign key usage (critical), a subject key identifier.</summary>
    public static TestCertificateAuthority Create(string commonName = "Palisade Test Root CA", TestKeyAlgorithm algorithm = TestKeyAlgorithm.EcdsaP256)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);

        // A random serial in the name too, so two authorities made by one run never look like the same issuer.
        var subject = new X500DistinguishedName($"CN={commonName} {RandomNumberGenerator.GetHexString(8)}, O=Palisade tests");
        using AsymmetricAlgorithm key = NewKey(algorithm);
        CertificateRequest request = NewRequest(subject, key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 certificate = request.CreateSelfSigned(now - AuthorityLifetime, now + AuthorityLifetime);
        return new TestCertificateAuthority(certificate);
    }

    /// <summary>
    /// A server certificate signed by this authority, with its private key, for <paramref name="dnsNames"/> and
    /// <paramref name="ipAddresses"/> (at least one of the two). The subject's CN is the first DNS name (or address).
    /// </summary>
    public X509Certificate2 IssueServerCertificate(
        IEnumerable<string>? dnsNames,
        IEnumerable<IPAddress>? ipAddresses = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        TestKeyAlgorithm algorithm = TestKeyAlgorithm.EcdsaP256)
    {
        string[] names = [.. dnsNames ?? []];
        IPAddress[] addresses = [.. ipAddresses ?? []];
        if (names.Length == 0 && addresses.Length == 0)
        {
            throw new ArgumentException("a server certificate needs at least one DNS name or IP address", nameof(dnsNames));
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset from = notBefore ?? now - Backdate;
        DateTimeOffset to = notAfter ?? now + DefaultLifetime;
        if (from < Certificate.NotBefore.ToUniversalTime() || to > Certificate.NotAfter.ToUniversalTime())
        {
            throw new ArgumentOutOfRangeException(nameof(notAfter), $"the validity {from:u} to {to:u} must lie within the authority's {Certificate.NotBefore.ToUniversalTime():u} to {Certificate.NotAfter.ToUniversalTime():u}");
        }

        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (string name in names)
        {
            alternativeNames.AddDnsName(name);
        }

        foreach (IPAddress address in addresses)
        {
            alternativeNames.AddIpAddress(address);
        }

        string commonName = names.Length > 0 ? names[0] : addresses[0].ToString();
        using AsymmetricAlgorithm key = NewKey(algorithm);
        CertificateRequest request = NewRequest(new X500DistinguishedName($"CN={commonName}"), key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        X509KeyUsageFlags usage = algorithm == TestKeyAlgorithm.Rsa2048
            ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
            : X509KeyUsageFlags.DigitalSignature;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid)], critical: false));
        request.CertificateExtensions.Add(alternativeNames.Build(critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive
        // Sign with the root's key whatever the leaf's key type (the request's own padding would not suit an RSA root signing an ECDSA leaf).
        using AsymmetricAlgorithm issuerKey = (AsymmetricAlgorithm?)Certificate.GetECDsaPrivateKey() ?? Certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("the authority holds no private key");
        X509SignatureGenerator generator = issuerKey is ECDsa issuerEcdsa
            ? X509SignatureGenerator.CreateForECDsa(issuerEcdsa)
            : X509SignatureGenerator.CreateForRSA((RSA)issuerKey, RSASignaturePadding.Pkcs1);
        using X509Certificate2 issued = request.Create(Certificate.SubjectName, generator, from, to, serial);
        return key switch
        {
            ECDsa ecdsa => issued.CopyWithPrivateKey(ecdsa),
            RSA rsa => issued.CopyWithPrivateKey(rsa),
            _ => throw new InvalidOperationException($"unexpected key type {key.GetType()}"),
        };
    }

    /// <summary>A server certificate for one DNS name and, optionally, addresses.</summary>
    public X509Certificate2 IssueServerCertificate(string dnsName, params IPAddress[] ipAddresses) =>
        IssueServerCertificate([dnsName], ipAddresses);

    /// <summary>A certificate from this (trusted) authority for <see cref="WrongName"/> only: no other name, no IP address.</summary>
    public X509Certificate2 IssueWrongNameServerCertificate() => IssueServerCertificate([WrongName]);

    /// <summary>A certificate for the right names from this authority that expired a day ago (valid from 10 days ago to 1 day ago).</summary>
    public X509Certificate2 IssueExpiredServerCertificate(IEnumerable<string>? dnsNames, IEnumerable<IPAddress>? ipAddresses = null)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return IssueServerCertificate(dnsNames, ipAddresses, now - TimeSpan.FromDays(10), now - TimeSpan.FromDays(1));
    }

    /// <summary>
    /// A certificate for the right names, well formed, but issued by a different, throwaway root that nobody trusts (the root
    /// is discarded). Its issuer's name looks like this authority's, so only the signature tells them apart.
    /// </summary>
    public static X509Certificate2 IssueUntrustedServerCertificate(IEnumerable<string>? dnsNames, IEnumerable<IPAddress>? ipAddresses = null)
    {
        using TestCertificateAuthority stranger = Create();
        return stranger.IssueServerCertificate(dnsNames, ipAddresses);
    }

    /// <summary>Writes the root certificate as PEM to <paramref name="path"/> (for kdig +tls-ca, curl --cacert, unbound tls-cert-bundle).</summary>
    public void WriteCertificatePem(string path) => File.WriteAllText(path, CertificatePem);

    /// <summary>
    /// Writes <paramref name="certificate"/> (which must hold its private key) to <paramref name="directory"/> as
    /// <c>{baseName}.pem</c> (the certificate) and <c>{baseName}.key</c> (its unencrypted PKCS#8 key, mode 0600).
    /// </summary>
    public static CertificateFiles WriteServerPem(X509Certificate2 certificate, string directory, string baseName = "server")
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string certificatePath = Path.Combine(directory, baseName + ".pem");
        string keyPath = Path.Combine(directory, baseName + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, PrivateKeyPem(certificate));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new CertificateFiles(certificatePath, keyPath);
    }

    /// <summary>The private key of <paramref name="certificate"/> as PEM "PRIVATE KEY" (PKCS#8).</summary>
    public static string PrivateKeyPem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("the certificate holds no ECDSA or RSA private key", nameof(certificate));
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>
    /// The SPKI pin of <paramref name="certificate"/> as Palisade writes it: <c>"sha256/" + Base64(SHA-256(SubjectPublicKeyInfo))</c>.
    /// The Base64 part is what kdig's +tls-pin takes (RFC 7858 s4.2).
    /// </summary>
    public static string SpkiPin(X509Certificate2 certificate) => "sha256/" + SpkiPinBase64(certificate);

    /// <summary>Base64(SHA-256(SubjectPublicKeyInfo)) of <paramref name="certificate"/>, without the "sha256/" prefix.</summary>
    public static string SpkiPinBase64(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>A chain policy that trusts this root alone (custom root trust, no revocation check), for .NET-side validation.</summary>
    public X509ChainPolicy ChainPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(Certificate);
        return policy;
    }

    /// <inheritdoc/>
    public void Dispose() => Certificate.Dispose();

    private static AsymmetricAlgorithm NewKey(TestKeyAlgorithm algorithm) => algorithm switch
    {
        TestKeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        TestKeyAlgorithm.Rsa2048 => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown key algorithm"),
    };

    private static CertificateRequest NewRequest(X500DistinguishedName subject, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key.GetType(), "unknown key type"),
    };
}
