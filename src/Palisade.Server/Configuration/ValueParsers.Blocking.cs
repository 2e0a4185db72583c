using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Palisade.Server.Configuration;

/// <summary>The blocking syntaxes: paths, list sources and names, inline rules, domain names.</summary>
public static partial class ValueParsers
{
    /// <summary>The longest inline rule (<c>blocking.allow</c>, <c>blocking.deny</c>) that is accepted.</summary>
    public const int MaxInlineRuleLength = 1024;

    /// <summary>The longest list name that is accepted.</summary>
    public const int MaxListNameLength = 100;

    /// <summary>A file or directory path: not empty, no control characters. Not resolved or checked for existence.</summary>
    public static bool TryParsePath(string text, [MaybeNullWhen(false)] out string path, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        path = null;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "a path is empty";
            return false;
        }

        if (s.Any(char.IsControl))
        {
            error = $"'{text}' is not a path (it has a control character)";
            return false;
        }

        path = s;
        error = null;
        return true;
    }

    /// <summary>
    /// Where a blocklist comes from: an <c>http://</c> or <c>https://</c> URL with a host, or a local file path. Other
    /// schemes (<c>ftp://</c>, <c>file://</c>) are refused.
    /// </summary>
    public static bool TryParseListSource(string text, [MaybeNullWhen(false)] out string source, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        source = null;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "a list source is empty (use an http:// or https:// URL or a file path)";
            return false;
        }

        var schemeEnd = s.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0 && s[..schemeEnd].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            if (!BlocklistSourceOptions.IsRemoteSource(s))
            {
                error = $"'{text}' has an unsupported scheme '{s[..(schemeEnd + 3)]}' (use an http:// or https:// URL or a local file path)";
                return false;
            }

            if (s.Any(char.IsWhiteSpace) || !Uri.TryCreate(s, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                error = $"'{text}' is not a valid URL";
                return false;
            }

            source = s;
            error = null;
            return true;
        }

        if (!TryParsePath(s, out source, out _))
        {
            error = $"'{text}' is not a URL or a file path (it has a control character)";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>A list's name: not empty, at most <see cref="MaxListNameLength"/> characters, no control characters.</summary>
    public static bool TryParseListName(string text, [MaybeNullWhen(false)] out string name, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        name = null;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "a list name is empty";
            return false;
        }

        if (s.Length > MaxListNameLength)
        {
            error = $"'{s[..20]}...' is longer than {MaxListNameLength} characters";
            return false;
        }

        if (s.Any(char.IsControl))
        {
            error = $"'{text}' has a control character";
            return false;
        }

        name = s;
        error = null;
        return true;
    }

    /// <summary>
    /// An inline rule (<c>blocking.allow</c>, <c>blocking.deny</c>): a name or an adblock rule, checked only lightly
    /// (not empty, no whitespace inside, at most <see cref="MaxInlineRuleLength"/> characters); the list parser reads it.
    /// </summary>
    public static bool TryParseInlineRule(string text, [MaybeNullWhen(false)] out string rule, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        rule = null;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "a rule is empty";
            return false;
        }

        if (s.Length > MaxInlineRuleLength)
        {
            error = $"'{s[..40]}...' is longer than {MaxInlineRuleLength} characters";
            return false;
        }

        if (s.Any(char.IsWhiteSpace))
        {
            error = $"'{text}' has whitespace in it (give one name or rule per item)";
            return false;
        }

        rule = s;
        error = null;
        return true;
    }

    /// <summary>
    /// A domain name (<c>home.arpa</c>, <c>Corp.Example.</c>): returned in lower case, in punycode, without the trailing
    /// dot. The root and IP addresses are refused.
    /// </summary>
    public static bool TryParseDomainName(string text, [MaybeNullWhen(false)] out string name, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        name = null;
        switch (Blocklists.Parsers.DomainName.Normalize(s, out var normalized))
        {
            case Blocklists.Parsers.NameStatus.Valid:
                name = normalized!;
                error = null;
                return true;
            case Blocklists.Parsers.NameStatus.Local when !IPAddress.TryParse(s.TrimEnd('.'), out _):
                // localhost, local...: names in their own right here, which the list parser only sets apart.
                name = s.TrimEnd('.').ToLowerInvariant();
                error = null;
                return true;
            case Blocklists.Parsers.NameStatus.IpAddress or Blocklists.Parsers.NameStatus.Local:
                error = $"'{text}' is an IP address, not a domain name";
                return false;
            default:
                error = s is "." or ""
                    ? $"'{text}' is not a domain name (the root would allow every name)"
                    : $"'{text}' is not a domain name";
                return false;
        }
    }
}
