using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Palisade.Server.Transport.Tls;

namespace Palisade.Commands;

/// <summary>
/// <c>palisade cert self-signed --name NAME [--out DIR]</c>: writes a self-signed certificate and its key for serving DNS
/// over TLS and HTTPS at home, and prints the pin clients can check it by and the configuration lines to use it.
/// </summary>
internal static class CertCommand
{
    private const string CertificateFile = "palisade.crt";
    private const string KeyFile = "palisade.key";

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
            Description = $"The folder to write {CertificateFile} and {KeyFile} to (made if missing).",
            DefaultValueFactory = _ => new DirectoryInfo("."),
        };
        var days = new Option<int>("--days")
        {
            Description = "How many days the certificate is valid.",
            DefaultValueFactory = _ => 825,
        };
        var force = new Option<bool>("--force") { Description = "Overwrite files that are already there." };
        var selfSigned = new Command("self-signed", "Write a self-signed certificate and key for DNS over TLS and HTTPS, and print its pin.")
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

        string certificatePath = Path.Combine(directory.FullName, CertificateFile);
        string keyPath = Path.Combine(directory.FullName, KeyFile);
        if (!force && (File.Exists(certificatePath) || File.Exists(keyPath)))
        {
            error.WriteLine($"palisade cert: {certificatePath} or {keyPath} exists already; use --force to replace them.");
            return 1;
        }

        using var certificate = SelfSignedCertificate.Create(names, TimeSpan.FromDays(days), DateTimeOffset.UtcNow);
        try
        {
            directory.Create();
            WritePrivate(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"palisade cert: cannot write to {directory.FullName}: {exception.Message}");
            return 1;
        }

        string pin = CertificatePin.Of(certificate);
        output.WriteLine($"Wrote {certificatePath} (for {string.Join(", ", names)}, valid until {certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})");
        output.WriteLine($"  and {keyPath} (the private key: keep it to yourself).");
        output.WriteLine($"SPKI pin: {pin}");
        output.WriteLine();
        output.WriteLine("To serve DNS over TLS and HTTPS with it, add to the configuration:");
        output.WriteLine("  tlsListen: [\"0.0.0.0:853\"]");
        output.WriteLine("  httpsListen: [\"0.0.0.0:443\"]");
        output.WriteLine("  tls:");
        output.WriteLine($"    certificate: {certificatePath}");
        output.WriteLine($"    privateKey: {keyPath}");
        output.WriteLine();
        output.WriteLine("Clients check it by its pin, for example:");
        output.WriteLine($"  kdig +tls +tls-pin={pin[CertificatePin.Prefix.Length..]} @ADDRESS example.com");
        output.WriteLine($"  or, in another Palisade: upstreams: [\"tls://ADDRESS?pin={pin}#{names[0]}\"]");
        return 0;
    }

    /// <summary>Writes a file only its owner can read (0600), from the moment it exists.</summary>
    private static void WritePrivate(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
        writer.WriteLine();
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to a new file; an existing one (with --force) keeps its mode otherwise.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
