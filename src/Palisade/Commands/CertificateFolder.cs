using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Palisade.Server.Transport.Tls;

namespace Palisade.Commands;

/// <summary>
/// The files of <c>palisade cert self-signed</c> in one folder: the local authority (<c>palisade-ca.crt</c>, and its key
/// <c>palisade-ca.key</c>, mode 0600) and the server's pair it signs (<c>palisade.crt</c>, <c>palisade.key</c>, 0600).
/// </summary>
internal sealed class CertificateFolder(DirectoryInfo directory)
{
    public const string AuthorityFile = "palisade-ca.crt";
    public const string AuthorityKeyFile = "palisade-ca.key";
    public const string CertificateFile = "palisade.crt";
    public const string KeyFile = "palisade.key";

    public string AuthorityPath { get; } = Path.Combine(directory.FullName, AuthorityFile);

    public string AuthorityKeyPath { get; } = Path.Combine(directory.FullName, AuthorityKeyFile);

    public string CertificatePath { get; } = Path.Combine(directory.FullName, CertificateFile);

    public string KeyPath { get; } = Path.Combine(directory.FullName, KeyFile);

    public bool HasAuthority => File.Exists(AuthorityPath) || File.Exists(AuthorityKeyPath);

    public bool HasServerPair => File.Exists(CertificatePath) || File.Exists(KeyPath);

    /// <summary>The authority kept here, with its key; throws <see cref="CertificateFolderException"/> saying what is wrong with it.</summary>
    public X509Certificate2 LoadAuthority()
    {
        if (!File.Exists(AuthorityPath) || !File.Exists(AuthorityKeyPath))
        {
            string missing = File.Exists(AuthorityPath) ? AuthorityKeyPath : AuthorityPath;
            throw new CertificateFolderException($"{missing} is missing, so the local certificate authority cannot sign; put it back, or move {AuthorityFile} and {AuthorityKeyFile} away to make a new authority (every device will have to import it again)");
        }

        X509Certificate2 authority;
        try
        {
            authority = X509Certificate2.CreateFromPemFile(AuthorityPath, AuthorityKeyPath);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CertificateFolderException($"the local certificate authority in {AuthorityPath} and {AuthorityKeyPath} cannot be read: {exception.Message}", exception);
        }

        if (!LocalCertificateAuthority.IsAuthority(authority))
        {
            authority.Dispose();
            throw new CertificateFolderException($"{AuthorityPath} is not a certificate authority (it has no CA:TRUE); move it away to make a new one");
        }

        return authority;
    }

    /// <summary>
    /// The server key to keep when renewing: the one in <see cref="KeyPath"/> when the pair there was signed by
    /// <paramref name="authority"/> (so clients that pin it go on working). Throws <see cref="CertificateFolderException"/>
    /// when the pair there is not ours, which only <c>--force</c> replaces.
    /// </summary>
    public ECDsa LoadOwnServerKey(X509Certificate2 authority)
    {
        try
        {
            using var existing = X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
            if (LocalCertificateAuthority.IsIssuedBy(existing, authority) && existing.GetECDsaPrivateKey() is { } key)
            {
                return key;
            }
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Not a pair we can renew; the refusal below says what to do.
        }

        throw new CertificateFolderException($"{CertificatePath} and {KeyPath} are there and were not made by the local certificate authority in {AuthorityPath}; use --force to replace them");
    }

    /// <summary>Writes a new authority: the key first, readable only by its owner.</summary>
    public void WriteAuthority(X509Certificate2 authority)
    {
        directory.Create();
        WritePrivate(AuthorityKeyPath, authority.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        WriteReplacing(AuthorityPath, authority.ExportCertificatePem() + "\n");
    }

    /// <summary>Writes the server certificate, and its key when it is new.</summary>
    public void WriteServer(X509Certificate2 certificate, ECDsa? newKey)
    {
        directory.Create();
        if (newKey is not null)
        {
            WritePrivate(KeyPath, newKey.ExportPkcs8PrivateKeyPem());
        }

        WriteReplacing(CertificatePath, certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>
    /// Writes a file through a temporary one moved into place, so that a running <c>serve</c>, which reads the
    /// certificate again when it changes, never sees half of it.
    /// </summary>
    private static void WriteReplacing(string path, string text)
    {
        string temporary = path + ".new";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes a file only its owner can read (0600), from the moment it exists.</summary>
    private static void WritePrivate(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.WriteLine();
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to a new file; an existing one (with --force) keeps its mode otherwise.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
