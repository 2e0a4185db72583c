namespace Palisade.Server.Configuration;

/// <summary>One blocklist or allowlist: where it comes from, what it is called, and how its plain names match.</summary>
/// <param name="Source">An <c>http://</c> or <c>https://</c> URL, or a local file path, as written in the configuration.</param>
/// <param name="Name">
/// What the list is called in logs and statistics; unique (case-insensitively) among <c>blocking.lists</c> and
/// <c>blocking.allowLists</c>. Defaults to <see cref="DefaultName"/> of the source.
/// </param>
/// <param name="Subdomains">
/// Whether a plain name in the list (<c>example.com</c>, or a hosts-file entry) also covers its subdomains. Adblock
/// rules (<c>||example.com^</c>) say so themselves. Default false.
/// </param>
public sealed record BlocklistSourceOptions(string Source, string Name, bool Subdomains)
{
    /// <summary>Whether <see cref="Source"/> is a URL to download (<c>http://</c> or <c>https://</c>) rather than a local file.</summary>
    public bool IsRemote => IsRemoteSource(Source);

    /// <summary>A list from <paramref name="source"/> with the default name and plain names matching exactly.</summary>
    public static BlocklistSourceOptions FromSource(string source) => new(source, DefaultName(source), Subdomains: false);

    /// <summary>Whether <paramref name="source"/> is an <c>http://</c> or <c>https://</c> URL.</summary>
    public static bool IsRemoteSource(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The name a list gets when none is given: for a URL its host (and port) and path, without the scheme
    /// (<c>raw.githubusercontent.com/StevenBlack/hosts/master/hosts</c>); for a local file its file name
    /// (<c>my-list.txt</c>).
    /// </summary>
    public static string DefaultName(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var s = source.Trim();
        if (IsRemoteSource(s) && Uri.TryCreate(s, UriKind.Absolute, out var uri))
        {
            var path = Uri.UnescapeDataString(uri.PathAndQuery).TrimEnd('/');
            return uri.Authority + path;
        }

        var trimmed = s.TrimEnd('/', '\\');
        var fileName = trimmed[(trimmed.LastIndexOfAny(['/', '\\']) + 1)..];
        return fileName.Length > 0 ? fileName : s;
    }
}
