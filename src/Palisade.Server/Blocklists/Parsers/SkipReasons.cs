namespace Palisade.Server.Blocklists.Parsers;

/// <summary>The reasons a line or a name is skipped, as they appear in <see cref="ParseSummary.Skipped"/>.</summary>
public static class SkipReasons
{
    /// <summary>The line is longer than 4,096 characters.</summary>
    public const string LineTooLong = "line too long";

    /// <summary>The name is not a valid domain name.</summary>
    public const string InvalidName = "invalid name";

    /// <summary>A well-known local name (<c>localhost</c>, <c>broadcasthost</c>, <c>ip6-*</c>...), never blocked.</summary>
    public const string LocalEntry = "local entry";

    /// <summary>A rule for an IP address rather than a name.</summary>
    public const string IpRule = "IP rule";

    /// <summary>A modifier other than <c>$important</c> and <c>$badfilter</c> (<c>$dnstype</c>, <c>$client</c>...).</summary>
    public const string UnsupportedModifier = "unsupported modifier";

    /// <summary>A cosmetic (element-hiding or scriptlet) rule: <c>##</c>, <c>#@#</c>, <c>#$#</c>...</summary>
    public const string CosmeticRule = "cosmetic rule";

    /// <summary>A rule with a URL path or scheme (<c>/</c> after the domain, <c>://</c>).</summary>
    public const string PathRule = "path rule";

    /// <summary>A <c>*</c> inside the domain part (<c>||ad-*.example.com^</c>).</summary>
    public const string WildcardPattern = "wildcard pattern";

    /// <summary>A domain prefix such as <c>||23.109.82.</c> or <c>||tracker.</c> (any name starting so).</summary>
    public const string PartialDomain = "partial domain";

    /// <summary>A pattern without a domain anchor (<c>-ad123-</c>, <c>.example.com^</c>), matching anywhere in a name.</summary>
    public const string UnanchoredPattern = "unanchored pattern";

    /// <summary>A regex longer than 1,000 characters, or one that does not compile without backtracking.</summary>
    public const string UnsupportedRegex = "unsupported regex";
}
