using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Blocklists;

/// <summary>
/// The <c>$badfilter</c> rules of every list, gathered before any list is read for its rules (a rule may be cancelled
/// by a list read after its own), and the rules they then cancel. Not thread-safe: one per build.
/// </summary>
internal sealed class BadfilterIndex
{
    private readonly Dictionary<(string Domain, RuleMatch Match, RuleAction Action, bool Important), Canceller> _rules = [];
    private readonly Dictionary<(string Pattern, RuleAction Action, bool Important), Canceller> _regexes = [];
    private readonly List<CancelledRule> _cancelled = [];

    /// <summary>Every rule cancelled so far, in the order the lists gave them.</summary>
    public IReadOnlyList<CancelledRule> Cancelled => _cancelled;

    /// <summary>
    /// Adds a <c>$badfilter</c> rule, whose cancelled rule is given as the list delivers its own rules (an allow
    /// list's rules already turned into allows). When two cancel the same rule, the first is the one cited.
    /// </summary>
    public void Add(BadfilterRule badfilter, ushort listIndex)
    {
        var canceller = new Canceller(badfilter.Text, listIndex, badfilter.Line);
        if (badfilter.Cancels is { } rule)
        {
            _rules.TryAdd((rule.Domain, rule.Match, rule.Action, rule.Important), canceller);
        }
        else if (badfilter.CancelsRegex is { } regex)
        {
            _regexes.TryAdd((regex.Pattern, regex.Action, regex.Important), canceller);
        }
    }

    /// <summary>Whether a <c>$badfilter</c> rule cancels <paramref name="rule"/> (of list <paramref name="listIndex"/>); a cancelled rule is remembered.</summary>
    public bool Cancels(in BlocklistRule rule, ushort listIndex)
    {
        if (_rules.Count == 0 || !_rules.TryGetValue((rule.Domain, rule.Match, rule.Action, rule.Important), out var by))
        {
            return false;
        }

        _cancelled.Add(new CancelledRule(rule, null, listIndex, by.Text, by.ListIndex, by.Line));
        return true;
    }

    /// <summary>Whether a <c>$badfilter</c> rule cancels the regex rule <paramref name="rule"/>; a cancelled rule is remembered.</summary>
    public bool Cancels(RegexRule rule, ushort listIndex)
    {
        if (_regexes.Count == 0 || !_regexes.TryGetValue((rule.Pattern, rule.Action, rule.Important), out var by))
        {
            return false;
        }

        _cancelled.Add(new CancelledRule(null, rule, listIndex, by.Text, by.ListIndex, by.Line));
        return true;
    }

    private sealed record Canceller(string Text, ushort ListIndex, int Line);
}
