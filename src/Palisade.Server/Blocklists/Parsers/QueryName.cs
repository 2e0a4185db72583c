using System.Diagnostics.CodeAnalysis;

namespace Palisade.Server.Blocklists.Parsers;

/// <summary>
/// A name given on the command line to be checked against the lists (<c>palisade check NAME</c>): validated as the
/// lists' names are, so that a URL, a name with a space or an empty string is refused with a reason rather than
/// answered "not listed".
/// </summary>
public static class QueryName
{
    /// <summary>The normalised name (lower case, punycode, no trailing dot), or the reason it is not a domain name.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out string? name, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        name = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "no name was given (e.g. palisade check ads.example.com)";
            return false;
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            problem = Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Host.Length > 0
                ? $"'{text}' is a URL, not a domain name; check its host: palisade check {uri.IdnHost}"
                : $"'{text}' is a URL, not a domain name";
            return false;
        }

        if (text.Any(char.IsWhiteSpace))
        {
            problem = $"'{text}' contains a space; give one domain name";
            return false;
        }

        switch (DomainName.Normalize(text, out var normalized))
        {
            case NameStatus.Valid:
                name = normalized!;
                problem = null;
                return true;
            case NameStatus.Local:
                // A well-known local name (localhost) is a name: no list can block it, which check then says.
                name = text.TrimEnd('.').ToLowerInvariant();
                problem = null;
                return true;
            case NameStatus.IpAddress:
                problem = $"'{text}' is an IP address; palisade check takes a domain name";
                return false;
            default:
                problem = $"'{text}' is not a domain name (labels of letters, digits, hyphens and underscores, separated by dots; at most 63 characters a label, 253 in all)";
                return false;
        }
    }
}
