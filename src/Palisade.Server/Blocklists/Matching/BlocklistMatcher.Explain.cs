using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Blocklists.Matching;

/// <summary>Turning verdicts back into rules and their sources, for <c>palisade check</c> and the query log.</summary>
public sealed partial class BlocklistMatcher
{
    /// <summary>
    /// The rule that decided <paramref name="verdict"/>, which must come from this matcher: the listed domain, the
    /// kind of rule, and where it was first given. Allocates (the domain's text); not for the hot path.
    /// </summary>
    /// <returns>Null when nothing matched.</returns>
    /// <exception cref="ArgumentException">The verdict names a domain this matcher does not have.</exception>
    public MatchExplanation? Explain(in MatchVerdict verdict)
    {
        if (verdict.Outcome == MatchOutcome.NotListed)
        {
            return null;
        }

        if ((uint)verdict.EntryIndex >= (uint)DomainCount || (_flags[verdict.EntryIndex] & (1 << verdict.RuleBit)) == 0)
        {
            throw new ArgumentException("The verdict comes from another matcher.", nameof(verdict));
        }

        return Describe(verdict.EntryIndex, verdict.RuleBit);
    }

    /// <summary>
    /// Every rule that matches the dotted name, whether or not it decides: the name's own rules, then each parent's
    /// subtree rules, most specific first; within a domain in <see cref="RuleFlags"/> order (block, allow, important
    /// block, important allow; exact before subtree).
    /// </summary>
    public IReadOnlyList<MatchExplanation> ExplainAll(ReadOnlySpan<char> name)
    {
        var matches = new List<MatchExplanation>();
        Span<byte> key = stackalloc byte[DomainWire.MaxLength];
        int length = DomainWire.FromText(name, key);
        int visible = 0xFF;
        for (int position = 0; position < length; position += 1 + key[position])
        {
            var suffix = key[position..length];
            int index = DomainTable.Find(_slots, _arena, _offsets, suffix, DomainTable.Hash(suffix, _seed), out _);
            if (index >= 0)
            {
                int flags = _flags[index] & visible;
                for (byte bit = 0; bit < 8; bit++)
                {
                    if ((flags & (1 << bit)) != 0)
                    {
                        matches.Add(Describe(index, bit));
                    }
                }
            }

            visible = (int)RuleFlags.Subtree;
        }

        return matches;
    }

    private MatchExplanation Describe(int index, byte bit)
    {
        var source = Source(index, bit);
        var rule = new BlocklistRule(
            DomainWire.ToText(_arena.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index])),
            (bit & 1) != 0 ? RuleMatch.WithSubdomains : RuleMatch.Exact,
            (bit & 2) != 0 ? RuleAction.Allow : RuleAction.Block,
            (bit & 4) != 0,
            source.Line);
        return new MatchExplanation(rule, source.ListIndex);
    }

    /// <summary>The first source of a kind of rule on a domain: kept inline for its first kind, else looked up.</summary>
    private RuleSource Source(int index, byte bit)
    {
        if (_primaryBits[index] == bit)
        {
            return new RuleSource(_lists[index], _lines[index]);
        }

        int found = Array.BinarySearch(_extraKeys, BlocklistMatcherBuilder.ExtraKey(index, bit));
        return found >= 0 ? _extraSources[found] : default;
    }
}
