namespace Palisade.Server.Blocklists.Matching;

/// <summary>
/// The answer of <see cref="BlocklistMatcher.Match(ReadOnlySpan{char})"/>: the outcome and, unless nothing matched,
/// which listed domain and which of its rules decided. It holds no string, so producing it allocates nothing;
/// <see cref="BlocklistMatcher.Explain(in MatchVerdict)"/> on the same matcher turns it into the rule and its source.
/// </summary>
public readonly record struct MatchVerdict
{
    // The index plus one, so that default(MatchVerdict) is NotListed.
    private readonly int _entry;

    internal MatchVerdict(MatchOutcome outcome, int entryIndex, byte ruleBit)
    {
        Outcome = outcome;
        _entry = entryIndex + 1;
        RuleBit = ruleBit;
    }

    /// <summary>The verdict when no rule matches; the default value.</summary>
    public static MatchVerdict NotListed => default;

    public MatchOutcome Outcome { get; }

    /// <summary>The deciding domain's index in the matcher that produced this verdict; -1 when nothing matched.</summary>
    public int EntryIndex => _entry - 1;

    /// <summary>The deciding rule's kind: its bit number in <see cref="RuleFlags"/>.</summary>
    internal byte RuleBit { get; }

    public bool IsBlocked => Outcome == MatchOutcome.Blocked;
}
