using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Palisade.Tests.Commands;

/// <summary><c>palisade cert self-signed</c>: the files it writes, the pin it prints, and its refusals.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CertCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-cert-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void SelfSigned_WritesAUsablePairAndPrintsItsPin()
    {
        var result = PalisadeProcess.Run("cert", "self-signed", "--name", "dns.home.arpa", "--name", "192.168.1.2", "--out", _directory);

        Assert.True(result.ExitCode == 0, result.Error);
        string certificatePath = Path.Combine(_directory, "palisade.crt");
        string keyPath = Path.Combine(_directory, "palisade.key");
        using var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        Assert.True(certificate.HasPrivateKey);
        Assert.True(certificate.MatchesHostname("dns.home.arpa"));
        Assert.Equal("CN=dns.home.arpa", certificate.Subject);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["dns.home.arpa"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("192.168.1.2")], names.EnumerateIPAddresses());
        Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.1");
        Assert.InRange(certificate.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddDays(824), DateTime.UtcNow.AddDays(826));

        string pin = "sha256/" + Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        Assert.Contains($"SPKI pin: {pin}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"certificate: {certificatePath}", result.Output, StringComparison.Ordinal);

        // Only its owner may read the key.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
    }

    [Fact]
    public void SelfSigned_FilesThere_RefusesUnlessForced()
    {
        Assert.Equal(0, PalisadeProcess.Run("cert", "self-signed", "--name", "a.test", "--out", _directory).ExitCode);
        string first = File.ReadAllText(Path.Combine(_directory, "palisade.crt"));

        var again = PalisadeProcess.Run("cert", "self-signed", "--name", "b.test", "--out", _directory);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("use --force", again.Error, StringComparison.Ordinal);
        Assert.Equal(first, File.ReadAllText(Path.Combine(_directory, "palisade.crt")));

        File.SetUnixFileMode(Path.Combine(_directory, "palisade.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var forced = PalisadeProcess.Run("cert", "self-signed", "--name", "b.test", "--out", _directory, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.NotEqual(first, File.ReadAllText(Path.Combine(_directory, "palisade.crt")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "palisade.key")));
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
        Assert.False(File.Exists(Path.Combine(_directory, "palisade.crt")));
    }

    [Fact]
    public void SelfSigned_WithoutName_IsAUsageError()
    {
        var result = PalisadeProcess.Run("cert", "self-signed", "--out", _directory);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--name", result.Error, StringComparison.Ordinal);
    }
}
