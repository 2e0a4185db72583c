using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Palisade.Tests.Interop;

namespace Palisade.Tests.Commands;

/// <summary>
/// <c>palisade cert self-signed</c>: the local authority and the server pair it writes (judged by OpenSSL too), the pin
/// it prints, renewing with the same authority and key, and its refusals.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CertCommandTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-cert-").FullName;

    private string AuthorityPath => Path.Combine(_directory, "palisade-ca.crt");

    private string AuthorityKeyPath => Path.Combine(_directory, "palisade-ca.key");

    private string CertificatePath => Path.Combine(_directory, "palisade.crt");

    private string KeyPath => Path.Combine(_directory, "palisade.key");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void SelfSigned_WritesAnAuthorityAndAServerPairItSigns_PrintsThePin()
    {
        var result = PalisadeProcess.Run("cert", "self-signed", "--name", "dns.home.arpa", "--name", "192.168.1.2", "--out", _directory);

        Assert.True(result.ExitCode == 0, result.Error);
        using var certificate = X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
        Assert.True(certificate.HasPrivateKey);
        Assert.True(certificate.MatchesHostname("dns.home.arpa"));
        Assert.Equal("CN=dns.home.arpa", certificate.Subject);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["dns.home.arpa"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("192.168.1.2")], names.EnumerateIPAddresses());
        Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.1");
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.InRange(certificate.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddDays(824), DateTime.UtcNow.AddDays(826));

        using var authority = X509Certificate2.CreateFromPemFile(AuthorityPath, AuthorityKeyPath);
        var constraints = authority.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.Critical);
        Assert.True(authority.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.Equal(authority.Subject, certificate.Issuer);

        string pin = "sha256/" + Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        Assert.Contains($"SPKI pin: {pin}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"certificate: {CertificatePath}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"import {AuthorityPath} as a certificate authority", result.Output, StringComparison.Ordinal);

        // Only their owner may read the keys.
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(KeyPath));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(AuthorityKeyPath));
    }

    [Fact]
    public async Task SelfSigned_OpenSslVerifiesTheServerCertificateAgainstTheAuthority()
    {
        string openssl = ExternalTool.Require("openssl", "openssl");
        Assert.Equal(0, PalisadeProcess.Run("cert", "self-signed", "--name", "dns.home.arpa", "--out", _directory).ExitCode);

        ToolResult verify = await ExternalTool.RunAsync(openssl, ["verify", "-purpose", "sslserver", "-CAfile", AuthorityPath, CertificatePath], TimeSpan.FromSeconds(20));
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        Assert.Contains(": OK", verify.Output, StringComparison.Ordinal);

        ToolResult text = await ExternalTool.RunAsync(openssl, ["x509", "-in", AuthorityPath, "-noout", "-text"], TimeSpan.FromSeconds(20));
        Assert.Contains("CA:TRUE", text.Output, StringComparison.Ordinal);
        Assert.Contains("Certificate Sign", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void SelfSigned_RunAgain_RenewsWithTheSameAuthorityAndKey()
    {
        Assert.Equal(0, PalisadeProcess.Run("cert", "self-signed", "--name", "a.test", "--out", _directory).ExitCode);
        string authority = File.ReadAllText(AuthorityPath);
        string authorityKey = File.ReadAllText(AuthorityKeyPath);
        string key = File.ReadAllText(KeyPath);
        string first = File.ReadAllText(CertificatePath);

        var again = PalisadeProcess.Run("cert", "self-signed", "--name", "a.test", "--name", "b.test", "--out", _directory);

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("Using the local certificate authority", again.Output, StringComparison.Ordinal);
        Assert.Contains("so the pin is unchanged", again.Output, StringComparison.Ordinal);
        Assert.Equal(authority, File.ReadAllText(AuthorityPath));
        Assert.Equal(authorityKey, File.ReadAllText(AuthorityKeyPath));
        Assert.Equal(key, File.ReadAllText(KeyPath));
        Assert.NotEqual(first, File.ReadAllText(CertificatePath));
        using var renewed = X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
        Assert.True(renewed.MatchesHostname("b.test"));
    }

    [Fact]
    public void SelfSigned_Force_MakesANewKeyWithTheSameAuthority()
    {
        Assert.Equal(0, PalisadeProcess.Run("cert", "self-signed", "--name", "a.test", "--out", _directory).ExitCode);
        string authority = File.ReadAllText(AuthorityPath);
        string key = File.ReadAllText(KeyPath);

        var forced = PalisadeProcess.Run("cert", "self-signed", "--name", "a.test", "--out", _directory, "--force");

        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Equal(authority, File.ReadAllText(AuthorityPath));
        Assert.NotEqual(key, File.ReadAllText(KeyPath));
    }

    [Fact]
    public void SelfSigned_PairNotMadeByTheAuthority_RefusesUnlessForced()
    {
        // A pair made some other way (an older palisade's self-signed one, or a public CA's) sits in the folder.
        using (var foreign = MakeSelfSigned("other.test"))
        {
            File.WriteAllText(CertificatePath, foreign.ExportCertificatePem());
            File.WriteAllText(KeyPath, foreign.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        }

        string first = File.ReadAllText(CertificatePath);
        var again = PalisadeProcess.Run("cert", "self-signed", "--name", "b.test", "--out", _directory);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("use --force", again.Error, StringComparison.Ordinal);
        Assert.Equal(first, File.ReadAllText(CertificatePath));
        Assert.False(File.Exists(AuthorityPath));

        File.SetUnixFileMode(KeyPath, OwnerOnly | UnixFileMode.OtherRead);
        var forced = PalisadeProcess.Run("cert", "self-signed", "--name", "b.test", "--out", _directory, "--force");
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.NotEqual(first, File.ReadAllText(CertificatePath));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(KeyPath));
        Assert.True(File.Exists(AuthorityPath));
    }

    [Fact]
    public void SelfSigned_AuthorityKeyGone_SaysWhatIsMissingAndWritesNothing()
    {
        Assert.Equal(0, PalisadeProcess.Run("cert", "self-signed", "--name", "a.test", "--out", _directory).ExitCode);
        File.Delete(AuthorityKeyPath);
        string first = File.ReadAllText(CertificatePath);

        var again = PalisadeProcess.Run("cert", "self-signed", "--name", "a.test", "--out", _directory);

        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"{AuthorityKeyPath} is missing", again.Error, StringComparison.Ordinal);
        Assert.Equal(first, File.ReadAllText(CertificatePath));
    }

    [Theory]
    [InlineData("--name", "not a name!", "is neither a host name nor an IP address")]
    [InlineData("--days", "0", "--days 0 is out of range")]
    public void SelfSigned_BadArgument_ExitCode2(string option, string value, string reason)
    {
        string[] arguments = option == "--name"
            ? ["cert", "self-signed", "--name", value, "--out", _directory]
            : ["cert", "self-signed", "--name", "a.test", option, value, "--out", _directory];

        var result = PalisadeProcess.Run(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(CertificatePath));
        Assert.False(File.Exists(AuthorityPath));
    }

    [Fact]
    public void SelfSigned_WithoutName_IsAUsageError()
    {
        var result = PalisadeProcess.Run("cert", "self-signed", "--out", _directory);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--name", result.Error, StringComparison.Ordinal);
    }

    private static X509Certificate2 MakeSelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
