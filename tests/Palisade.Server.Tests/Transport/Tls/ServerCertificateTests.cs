using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Palisade.Server.Transport.Tls;

namespace Palisade.Server.Tests.Transport.Tls;

/// <summary>The served certificate: loading, refusing bad files, taking up a renewal, keeping the old pair when a renewal is broken.</summary>
public sealed class ServerCertificateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-servercert-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private string CertificatePath => Path.Combine(_directory, "cert.pem");

    private string KeyPath => Path.Combine(_directory, "key.pem");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ContextFor_NameOnTheCertificateOrNoName_GetsIt_OtherNamesAreRefused()
    {
        Write("dns.home.arpa", "192.168.1.2");
        using var certificate = ServerCertificate.Load(CertificatePath, KeyPath, _time, NullLogger.Instance);

        Assert.NotNull(certificate.ContextFor(null));
        Assert.NotNull(certificate.ContextFor("dns.home.arpa"));
        Assert.NotNull(certificate.ContextFor("DNS.Home.Arpa"));
        Assert.Null(certificate.ContextFor("other.example"));
        Assert.Equal("dns.home.arpa", certificate.Names);
    }

    [Fact]
    public void Certificate_FilesRenewed_TakenUpAfterTheCheckInterval()
    {
        Write("old.test");
        using var certificate = ServerCertificate.Load(CertificatePath, KeyPath, _time, NullLogger.Instance);
        Assert.Equal("CN=old.test", certificate.Certificate.Subject);

        Write("new.test");
        File.SetLastWriteTimeUtc(CertificatePath, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal("CN=old.test", certificate.Certificate.Subject);

        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("CN=new.test", certificate.Certificate.Subject);
        Assert.NotNull(certificate.ContextFor("new.test"));
    }

    [Fact]
    public void Certificate_RenewalThatDoesNotLoad_KeepsThePairInUse()
    {
        Write("kept.test");
        using var certificate = ServerCertificate.Load(CertificatePath, KeyPath, _time, NullLogger.Instance);

        File.WriteAllText(KeyPath, "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
        File.SetLastWriteTimeUtc(KeyPath, DateTime.UtcNow.AddSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal("CN=kept.test", certificate.Certificate.Subject);
        Assert.NotNull(certificate.ContextFor("kept.test"));
    }

    [Fact]
    public void Load_KeyOfAnotherCertificate_SaysSo()
    {
        Write("a.test");
        string otherKey = Path.Combine(_directory, "other.pem");
        using (var other = SelfSignedCertificate.Create(["b.test"], TimeSpan.FromDays(1), DateTimeOffset.UtcNow))
        {
            File.WriteAllText(otherKey, other.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        }

        var failure = Assert.Throws<TlsCertificateException>(() => ServerCertificate.Load(CertificatePath, otherKey, _time, NullLogger.Instance));

        Assert.Contains(CertificatePath, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.pem", "cannot read")]
    [InlineData("empty.pem", "holds no PEM certificate")]
    public void Load_BadCertificateFile_SaysWhich(string file, string reason)
    {
        Write("a.test");
        string path = Path.Combine(_directory, file);
        if (file == "empty.pem")
        {
            File.WriteAllText(path, "no certificate here\n");
        }

        var failure = Assert.Throws<TlsCertificateException>(() => ServerCertificate.Load(path, KeyPath, _time, NullLogger.Instance));

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
        Assert.Contains(file, failure.Message, StringComparison.Ordinal);
    }

    private void Write(params string[] names)
    {
        using var certificate = SelfSignedCertificate.Create(names, TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }
}
