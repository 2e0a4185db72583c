using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Palisade.Server.Transport.Tls;

namespace Palisade.Commands;

/// <summary>
/// <c>palisade cert self-signed --name NAME [--out DIR]</c>: makes a small local certificate authority (once, kept in the
/// folder) and a server certificate it signs, for serving DNS over TLS and HTTPS at home, as mkcert does; prints the
/// authority to import on devices, the pin clients can check the server by, and the configuration lines to use it. Run
/// again, it renews the server certificate with the same authority and key, so devices and pins go on working.
/// </summary>
internal static class CertCommand
{
    public static Command Create()
    {
        var name = new Option<string[]>("--name", "-n")
        {
            Description = "A host name or IP address clients will use to reach Palisade (dns.home.arpa, 192.168.1.2); repeat for several. The first is the common name.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = $"The folder to write {CertificateFolder.AuthorityFile}, {CertificateFolder.CertificateFile} and their keys to (made if missing); an authority already there is used.",
            DefaultValueFactory = _ => new DirectoryInfo("."),
        };
        var days = new Option<int>("--days")
        {
            Description = "How many days the server certificate is valid.",
            DefaultValueFactory = _ => 825,
        };
        var force = new Option<bool>("--force") { Description = $"Replace a {CertificateFolder.CertificateFile} and {CertificateFolder.KeyFile} the local authority did not make, or make a new server key (the authority is kept)." };
        var selfSigned = new Command("self-signed", "Make a local certificate authority and a server certificate it signs, for DNS over TLS and HTTPS; print the authority to import and the pin.")
        {
            name, output, days, force,
        };
        selfSigned.SetAction(result => Run(
            result.GetValue(name) ?? [],
            result.GetValue(output)!,
            result.GetValue(days),
            result.GetValue(force),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error));
        return new Command("cert", "Certificates for serving DNS over TLS and HTTPS.") { selfSigned };
    }

    private static int Run(string[] names, DirectoryInfo directory, int days, bool force, TextWriter output, TextWriter error)
    {
        if (names.FirstOrDefault(n => !SelfSignedCertificate.IsValidName(n)) is { } bad)
        {
            error.WriteLine($"palisade cert: '{bad}' is neither a host name nor an IP address.");
            return 2;
        }

        if (days is < 1 or > 3650)
        {
            error.WriteLine($"palisade cert: --days {days} is out of range (1 to 3650).");
            return 2;
        }

        var folder = new CertificateFolder(directory);
        var now = DateTimeOffset.UtcNow;
        X509Certificate2? authority = null;
        ECDsa? key = null;
        try
        {
            bool newAuthority = !folder.HasAuthority;
            authority = newAuthority
                ? LocalCertificateAuthority.CreateAuthority($"Palisade local CA {Environment.MachineName} {now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}", now)
                : folder.LoadAuthority();
            if (authority.NotAfter.ToUniversalTime() <= now.UtcDateTime)
            {
                error.WriteLine($"palisade cert: the local certificate authority {folder.AuthorityPath} expired on {Day(authority.NotAfter)}; move {CertificateFolder.AuthorityFile} and {CertificateFolder.AuthorityKeyFile} away to make a new one.");
                return 1;
            }

            if (!force && folder.HasServerPair)
            {
                // Our own pair is renewed with its key kept; one made some other way (or by an older palisade, with no
                // authority beside it) is replaced only with --force.
                key = newAuthority
                    ? throw new CertificateFolderException($"{folder.CertificatePath} or {folder.KeyPath} exists already and was not made by a local certificate authority in this folder; use --force to replace them")
                    : folder.LoadOwnServerKey(authority);
            }

            bool newKey = key is null;
            key ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var certificate = LocalCertificateAuthority.IssueServerCertificate(authority, key, names, TimeSpan.FromDays(days), now);
            if (newAuthority)
            {
                folder.WriteAuthority(authority);
            }

            folder.WriteServer(certificate, newKey ? key : null);
            Report(folder, names, authority, newAuthority, certificate, newKey, output);
            return 0;
        }
        catch (CertificateFolderException exception)
        {
            error.WriteLine($"palisade cert: {exception.Message}.");
            return 1;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"palisade cert: cannot write to {directory.FullName}: {exception.Message}");
            return 1;
        }
        finally
        {
            key?.Dispose();
            authority?.Dispose();
        }
    }

    private static void Report(CertificateFolder folder, string[] names, X509Certificate2 authority, bool newAuthority, X509Certificate2 certificate, bool newKey, TextWriter output)
    {
        string pin = CertificatePin.Of(certificate);
        output.WriteLine(newAuthority
            ? $"Made a local certificate authority: {folder.AuthorityPath} (valid until {Day(authority.NotAfter)})"
            : $"Using the local certificate authority {folder.AuthorityPath} (valid until {Day(authority.NotAfter)})");
        if (newAuthority)
        {
            output.WriteLine($"  and {folder.AuthorityKeyPath} (its private key: keep it to yourself; it is kept to renew the certificate).");
        }

        output.WriteLine($"Wrote {folder.CertificatePath} (for {string.Join(", ", names)}, valid until {Day(certificate.NotAfter)}, signed by it)");
        output.WriteLine(newKey
            ? $"  and {folder.KeyPath} (the private key: keep it to yourself)."
            : $"  with the key in {folder.KeyPath}, kept, so the pin is unchanged.");
        output.WriteLine($"SPKI pin: {pin}");
        output.WriteLine();
        output.WriteLine("To serve DNS over TLS and HTTPS with it, add to the configuration:");
        output.WriteLine("  tlsListen: [\"0.0.0.0:853\"]");
        output.WriteLine("  httpsListen: [\"0.0.0.0:443\"]");
        output.WriteLine("  tls:");
        output.WriteLine($"    certificate: {folder.CertificatePath}");
        output.WriteLine($"    privateKey: {folder.KeyPath}");
        output.WriteLine();
        output.WriteLine($"Browsers and devices trust it once they import {folder.AuthorityPath} as a certificate authority.");
        output.WriteLine("Command-line clients check it by that authority or by the pin, for example:");
        output.WriteLine($"  kdig +tls +tls-ca={folder.AuthorityPath} +tls-hostname={names[0]} @ADDRESS example.com");
        output.WriteLine($"  kdig +tls +tls-pin={pin[CertificatePin.Prefix.Length..]} @ADDRESS example.com");
        // tls://ADDRESS#NAME: the name the certificate must carry; with only addresses on it, the address is checked.
        string tlsUrl = $"tls://ADDRESS?pin={pin}" + (names.FirstOrDefault(n => !IPAddress.TryParse(n, out _)) is { } host ? $"#{host}" : "");
        output.WriteLine($"  palisade query example.com --server '{tlsUrl}'");
        output.WriteLine($"  or, in another Palisade: upstreams: [\"{tlsUrl}\"]");
    }

    private static string Day(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
