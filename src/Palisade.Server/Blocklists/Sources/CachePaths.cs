using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Palisade.Server.Blocklists.Sources;

/// <summary>
/// Where a downloaded list lives in the cache directory: <c>{safe-name}-{hash}.txt</c> and its <c>.json</c>
/// metadata, where the hash is the first 8 hex digits of the URL's SHA-256 (so two lists of one name differ).
/// </summary>
internal sealed record CachePaths(string Stem, string List, string Metadata)
{
    /// <summary>Temporary files (downloads and metadata in progress) end with this; leftovers are removed at start.</summary>
    public const string TempExtension = ".tmp";

    private const int MaxNameLength = 48;

    public static CachePaths For(string cacheDir, BlocklistSource source)
    {
        var stem = SafeName(source.Name) + "-" + UrlHash(source.Location);
        return new CachePaths(stem, Path.Combine(cacheDir, stem + ".txt"), Path.Combine(cacheDir, stem + ".json"));
    }

    public string NewTempPath(string cacheDir, string kind) =>
        Path.Combine(cacheDir, string.Create(CultureInfo.InvariantCulture, $"{Stem}.{kind}.{Guid.NewGuid():N}{TempExtension}"));

    /// <summary>Lower-case ASCII letters, digits, <c>-</c> and <c>_</c>; anything else becomes one <c>-</c>.</summary>
    internal static string SafeName(string name)
    {
        var text = new StringBuilder(Math.Min(name.Length, MaxNameLength));
        foreach (var c in name)
        {
            if (text.Length == MaxNameLength)
            {
                break;
            }

            var lower = char.ToLowerInvariant(c);
            if (lower is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')
            {
                text.Append(lower);
            }
            else if (text.Length > 0 && text[^1] != '-')
            {
                text.Append('-');
            }
        }

        var safe = text.ToString().TrimEnd('-');
        return safe.Length == 0 ? "list" : safe;
    }

    internal static string UrlHash(string url) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.Trim())))[..8];
}
