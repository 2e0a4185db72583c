namespace Palisade.Server.Blocklists.Sources;

/// <summary>
/// Where one blocklist comes from: an <c>http://</c> or <c>https://</c> URL, or a local file path (read in place).
/// </summary>
/// <param name="Location">The URL or file path, as configured.</param>
/// <param name="Name">The list's name, for logs and the cache file name.</param>
/// <param name="Subdomains">Plain and hosts entries block their subdomains too (the parser's option).</param>
public sealed record BlocklistSource(string Location, string Name, bool Subdomains);
