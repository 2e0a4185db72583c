namespace Palisade.Server.Blocklists.Parsers;

/// <summary>How to read a list's entries.</summary>
public sealed record BlocklistParseOptions
{
    /// <summary>The default options: plain and hosts entries match their name exactly.</summary>
    public static BlocklistParseOptions Default { get; } = new();

    /// <summary>
    /// The list's <c>subdomains: true</c>: plain-domain and hosts entries block their subdomains too (as HaGeZi's
    /// "wildcard domains" lists intend). Adblock and <c>*.domain</c> rules say for themselves, so this does not
    /// change them.
    /// </summary>
    public bool PlainEntriesIncludeSubdomains { get; init; }
}
