using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Palisade.Server.Transport.Tls;

namespace Palisade.Server.Tests.Transport.Tls;

/// <summary>The local authority <c>palisade cert</c> makes, and the server certificates it signs.</summary>
public sealed class LocalCertificateAuthorityTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CreateAuthority_IsACaThatSignsOnlyLeaves()
    {
        using var authority = LocalCertificateAuthority.CreateAuthority("Palisade local CA test", Now);

        var constraints = authority.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, authority.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.True(authority.HasPrivateKey);
        Assert.Equal(authority.Subject, authority.Issuer);
        Assert.True(LocalCertificateAuthority.IsAuthority(authority));
        Assert.Equal((Now + LocalCertificateAuthority.AuthorityValidity).UtcDateTime, authority.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void IssueServerCertificate_IsALeafForTheNames_SignedByTheAuthority()
    {
        using var authority = LocalCertificateAuthority.CreateAuthority("Palisade local CA test", Now);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var certificate = LocalCertificateAuthority.IssueServerCertificate(authority, key, ["dns.home.arpa", "192.168.1.2"], TimeSpan.FromDays(30), Now);

        Assert.Equal("CN=dns.home.arpa", certificate.Subject);
        Assert.Equal(authority.Subject, certificate.Issuer);
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.False(LocalCertificateAuthority.IsAuthority(certificate));
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["dns.home.arpa"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("192.168.1.2")], names.EnumerateIPAddresses());
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(Now.AddDays(30).UtcDateTime, certificate.NotAfter.ToUniversalTime());
        Assert.True(LocalCertificateAuthority.IsIssuedBy(certificate, authority));
    }

    [Fact]
    public void IssueServerCertificate_LongerThanTheAuthority_EndsWithIt()
    {
        using var authority = LocalCertificateAuthority.CreateAuthority("Palisade local CA test", Now);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var late = Now + LocalCertificateAuthority.AuthorityValidity - TimeSpan.FromDays(10);

        using var certificate = LocalCertificateAuthority.IssueServerCertificate(authority, key, ["a.test"], TimeSpan.FromDays(825), late);

        Assert.Equal(authority.NotAfter, certificate.NotAfter);
    }

    [Fact]
    public void IsIssuedBy_AnotherAuthority_False_AnExpiredLeafOfOurs_True()
    {
        using var authority = LocalCertificateAuthority.CreateAuthority("Palisade local CA one", Now.AddYears(-3));
        using var other = LocalCertificateAuthority.CreateAuthority("Palisade local CA two", Now);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var expired = LocalCertificateAuthority.IssueServerCertificate(authority, key, ["a.test"], TimeSpan.FromDays(1), Now.AddYears(-2));

        Assert.True(LocalCertificateAuthority.IsIssuedBy(expired, authority));
        Assert.False(LocalCertificateAuthority.IsIssuedBy(expired, other));
    }

    [Fact]
    public void IsAuthority_SelfSignedServerCertificate_False()
    {
        using var certificate = SelfSignedCertificate.Create(["a.test"], TimeSpan.FromDays(1), Now);

        Assert.False(LocalCertificateAuthority.IsAuthority(certificate));
    }
}
