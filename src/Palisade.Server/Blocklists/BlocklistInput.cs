namespace Palisade.Server.Blocklists;

/// <summary>One list to load: a file (a downloaded copy or a local list), a download held in memory, or inline lines from the config.</summary>
/// <param name="Name">The list's name, for logs and <c>palisade check</c>.</param>
/// <param name="Source">Where it came from (URL, path, or <c>blocking.allow</c>/<c>blocking.deny</c>).</param>
/// <param name="Path">The file to read, or null for inline lines or a <see cref="Body"/>.</param>
/// <param name="InlineLines">The lines, when the list is inline.</param>
/// <param name="Subdomains">Whether plain and hosts entries also cover subdomains (the list's <c>subdomains: true</c>).</param>
/// <param name="IsAllowList">Whether every rule of the list allows rather than blocks.</param>
public sealed record BlocklistInput(string Name, string Source, string? Path, IReadOnlyList<string>? InlineLines, bool Subdomains, bool IsAllowList)
{
    /// <summary>The list's UTF-8 text, when a download is held in memory (its cache directory could not be written).</summary>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>
    /// For inline lines, the line of each in the config file (0 where unknown, e.g. from an environment variable), so
    /// that <c>palisade check</c> cites the file's line rather than the item's number.
    /// </summary>
    public IReadOnlyList<int>? InlineLineNumbers { get; init; }
}
