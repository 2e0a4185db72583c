using System.Text.RegularExpressions;
using Palisade.Server.Blocklists.Matching;
using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Blocklists;

/// <summary>
/// Everything that decides whether a name is blocked, built off to the side and then published whole: the domain
/// matcher, the few regex rules, and what each list is called and held. Immutable; queries read whichever set was
/// current when they started, so they never see a half-built one.
/// </summary>
public sealed class BlocklistSet
{
    public BlocklistSet(BlocklistMatcher matcher, IReadOnlyList<BlocklistRegex> regexes, IReadOnlyList<LoadedList> lists)
    {
        Matcher = matcher;
        Regexes = regexes;
        Lists = lists;
    }

    /// <summary>No lists, nothing blocked.</summary>
    public static BlocklistSet Empty { get; } = new(BlocklistMatcher.Empty, [], []);

    public BlocklistMatcher Matcher { get; }

    /// <summary>Regex rules (rare: a few dozen at most); they decide only for names no domain rule matches.</summary>
    public IReadOnlyList<BlocklistRegex> Regexes { get; }

    /// <summary>The lists, in the order of their list index.</summary>
    public IReadOnlyList<LoadedList> Lists { get; }

    /// <summary>The rules <c>$badfilter</c> rules cancelled (not in <see cref="Matcher"/>), to explain them.</summary>
    public IReadOnlyList<CancelledRule> Cancelled { get; init; } = [];

    /// <summary>The lists that could not be read, and so are left out.</summary>
    public IReadOnlyList<UnreadableList> Unreadable { get; init; } = [];

    /// <summary>What the set holds, e.g. <c>148,127 domains and 3 regex rules from 2 lists and 1 inline allow entry</c>.</summary>
    public string Describe() =>
        $"{ParseSummary.Count(Matcher.DomainCount, "domain")} and {ParseSummary.Count(Regexes.Count, "regex rule")} from {DescribeSources()}";

    /// <summary>
    /// Where the rules came from, e.g. <c>2 lists and 3 inline deny entries</c>: the inline <c>blocking.allow</c> and
    /// <c>blocking.deny</c> entries are not lists, and are counted as entries.
    /// </summary>
    public string DescribeSources()
    {
        var parts = new List<string>();
        int lists = Lists.Count(l => l.InlineEntries is null);
        if (lists > 0 || Lists.Count == 0)
        {
            parts.Add(ParseSummary.Count(lists, "list"));
        }

        foreach (var inline in Lists.Where(l => l.InlineEntries is not null))
        {
            string kind = inline.IsAllowList ? "allow" : "deny";
            parts.Add(ParseSummary.Count(inline.InlineEntries!.Value, $"inline {kind} entry", $"inline {kind} entries"));
        }

        return parts.Count == 1 ? parts[0] : $"{string.Join(", ", parts[..^1])} and {parts[^1]}";
    }

    /// <summary>Is <paramref name="name"/> (dotted, no trailing dot needed) blocked?</summary>
    public MatchOutcome Decide(ReadOnlySpan<char> name, out MatchVerdict verdict, out BlocklistRegex? regex)
    {
        verdict = Matcher.Match(name);
        regex = null;
        if (verdict.Outcome != MatchOutcome.NotListed || Regexes.Count == 0)
        {
            return verdict.Outcome;
        }

        return DecideByRegex(name.TrimEnd('.'), out regex);
    }

    /// <summary>Is the name in lower-case wire form blocked? Allocates nothing unless regex rules must be tried.</summary>
    public bool IsBlocked(ReadOnlySpan<byte> lowerCaseWireName)
    {
        var outcome = Matcher.Match(lowerCaseWireName).Outcome;
        if (outcome != MatchOutcome.NotListed || Regexes.Count == 0)
        {
            return outcome == MatchOutcome.Blocked;
        }

        Span<char> text = stackalloc char[256];
        int length = 0;
        for (int position = 0; lowerCaseWireName[position] != 0; position += lowerCaseWireName[position] + 1)
        {
            if (length > 0)
            {
                text[length++] = '.';
            }

            foreach (byte b in lowerCaseWireName.Slice(position + 1, lowerCaseWireName[position]))
            {
                text[length++] = (char)b;
            }
        }

        return DecideByRegex(text[..length], out _) == MatchOutcome.Blocked;
    }

    private MatchOutcome DecideByRegex(ReadOnlySpan<char> name, out BlocklistRegex? deciding)
    {
        // Same order as domain rules: an important allow, an important block, an allow, a block.
        deciding = null;
        int best = 0;
        foreach (var regex in Regexes)
        {
            int rank = (regex.Rule.Action, regex.Rule.Important) switch
            {
                (RuleAction.Allow, true) => 4,
                (RuleAction.Block, true) => 3,
                (RuleAction.Allow, false) => 2,
                _ => 1,
            };
            if (rank > best && Matches(regex.Regex, name))
            {
                best = rank;
                deciding = regex;
            }
        }

        return best switch
        {
            0 => MatchOutcome.NotListed,
            1 or 3 => MatchOutcome.Blocked,
            _ => MatchOutcome.Allowed,
        };
    }
    /// <summary>A regex that runs out of time (a long GC pause, say) counts as no match rather than failing the query.</summary>
    private static bool Matches(Regex regex, ReadOnlySpan<char> name)
    {
        try
        {
            return regex.IsMatch(name);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}

/// <summary>A regex rule, compiled without backtracking so that its cost is bounded.</summary>
public sealed record BlocklistRegex(RegexRule Rule, Regex Regex, ushort ListIndex);

/// <summary>One list as loaded: its name, where it came from, and what parsing it gave.</summary>
public sealed record LoadedList(string Name, string Source, ParseSummary Summary, bool IsAllowList)
{
    /// <summary>For the inline <c>blocking.allow</c> and <c>blocking.deny</c>, how many entries; null for a list.</summary>
    public int? InlineEntries { get; init; }
}
