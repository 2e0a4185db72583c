using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Blocklists;

/// <summary>A rule that a <c>$badfilter</c> rule cancelled: kept only to explain, in <c>palisade check</c>, why it does not apply.</summary>
/// <param name="Rule">The cancelled domain rule, or null for a regex rule.</param>
/// <param name="Regex">The cancelled regex rule, or null for a domain rule.</param>
/// <param name="ListIndex">The list the cancelled rule is in.</param>
/// <param name="By">The <c>$badfilter</c> rule as written.</param>
/// <param name="ByListIndex">The list the <c>$badfilter</c> rule is in.</param>
/// <param name="ByLine">Its line in that list.</param>
public sealed record CancelledRule(BlocklistRule? Rule, RegexRule? Regex, ushort ListIndex, string By, ushort ByListIndex, int ByLine)
{
    /// <summary>Whether the cancelled domain rule would have matched the dotted, lower-case <paramref name="name"/>.</summary>
    public bool Covers(string name)
    {
        if (Rule is not { } rule)
        {
            return false;
        }

        name = name.TrimEnd('.');
        return name.Equals(rule.Domain, StringComparison.OrdinalIgnoreCase)
            || (rule.Match == RuleMatch.WithSubdomains
                && name.Length > rule.Domain.Length
                && name[^(rule.Domain.Length + 1)] == '.'
                && name.EndsWith(rule.Domain, StringComparison.OrdinalIgnoreCase));
    }
}
