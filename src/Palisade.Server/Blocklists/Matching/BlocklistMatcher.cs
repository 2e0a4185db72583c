using System.Runtime.CompilerServices;

namespace Palisade.Server.Blocklists.Matching;

/// <summary>
/// Every listed domain with the kinds of rule it carries, immutable and safe for concurrent lookups; the owner swaps
/// a new one in (a volatile field) when the lists change. Built by <see cref="BlocklistMatcherBuilder"/>.
/// </summary>
/// <remarks>
/// <para>The rules that match a name are the exact and subtree rules of the name itself and the subtree rules of
/// each of its parents. Among them an important allow wins, then an important block, then an allow, then a block
/// (AdGuard Home's order: <c>@@</c> beats a block, <c>$important</c> beats <c>@@</c>, and an important <c>@@</c>
/// beats an important block). Within the winning class the most specific matching domain is reported, and an exact
/// rule before a subtree rule.</para>
/// <para>Storage, for a million domains of about 22 characters, is about 50 octets a domain: the domains back to back
/// in one arena in wire form without the root octet (about 23), a table slot of 8 octets at most three quarters
/// full, an offset, a flags octet, and the first source (list index and line). See <see cref="DomainTable"/>.</para>
/// </remarks>
public sealed partial class BlocklistMatcher
{
    private readonly ulong _seed;
    private readonly byte[] _arena;
    private readonly int[] _offsets;
    private readonly byte[] _flags;
    private readonly byte[] _primaryBits;
    private readonly ushort[] _lists;
    private readonly int[] _lines;
    private readonly long[] _extraKeys;
    private readonly RuleSource[] _extraSources;
    private readonly ulong[] _slots;

    internal BlocklistMatcher(
        ulong seed,
        byte[] arena,
        int[] offsets,
        byte[] flags,
        byte[] primaryBits,
        ushort[] lists,
        int[] lines,
        long[] extraKeys,
        RuleSource[] extraSources,
        ulong[] slots)
    {
        _seed = seed;
        _arena = arena;
        _offsets = offsets;
        _flags = flags;
        _primaryBits = primaryBits;
        _lists = lists;
        _lines = lines;
        _extraKeys = extraKeys;
        _extraSources = extraSources;
        _slots = slots;
    }

    /// <summary>A matcher with no rules: every name is <see cref="MatchOutcome.NotListed"/>.</summary>
    public static BlocklistMatcher Empty { get; } = new BlocklistMatcherBuilder().Build();

    /// <summary>Distinct listed domains.</summary>
    public int DomainCount => _flags.Length;

    /// <summary>The managed memory its arrays hold, in octets (object headers included, roughly).</summary>
    public long ApproximateBytes =>
        64 + (10 * 24) +
        _arena.LongLength +
        (_offsets.LongLength * sizeof(int)) +
        _flags.LongLength +
        _primaryBits.LongLength +
        (_lists.LongLength * sizeof(ushort)) +
        (_lines.LongLength * sizeof(int)) +
        (_extraKeys.LongLength * sizeof(long)) +
        (_extraSources.LongLength * Unsafe.SizeOf<RuleSource>()) +
        (_slots.LongLength * sizeof(ulong));

    /// <summary>
    /// The verdict for a name in DNS wire form: length-prefixed labels up to the root octet (which may be omitted
    /// if the span ends there; anything after it is ignored, so the name can be given in place). The hot path: it
    /// allocates nothing. Lower case is expected; a name with upper-case letters is lowered into a stack copy first.
    /// </summary>
    /// <returns><see cref="MatchVerdict.NotListed"/> for the root and for a malformed name (a compression pointer,
    /// a truncated label, over 255 octets).</returns>
    public MatchVerdict Match(ReadOnlySpan<byte> lowerCaseWireName)
    {
        int length = DomainWire.Measure(lowerCaseWireName);
        if (length <= 0)
        {
            return MatchVerdict.NotListed;
        }

        var name = lowerCaseWireName[..length];
        if (!name.ContainsAnyInRange((byte)'A', (byte)'Z'))
        {
            return MatchKey(name);
        }

        // Length octets are at most 63, so only letters are in 'A'..'Z'.
        Span<byte> lowered = stackalloc byte[DomainWire.MaxLength];
        for (int i = 0; i < name.Length; i++)
        {
            byte b = name[i];
            lowered[i] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
        }

        return MatchKey(lowered[..length]);
    }

    /// <summary>
    /// The verdict for a dotted name, in any case, with or without the trailing dot. Allocates nothing.
    /// </summary>
    /// <returns><see cref="MatchVerdict.NotListed"/> for the root and for what is not a name (an empty or
    /// over-long label, a character outside ASCII).</returns>
    public MatchVerdict Match(ReadOnlySpan<char> name)
    {
        Span<byte> key = stackalloc byte[DomainWire.MaxLength];
        int length = DomainWire.FromText(name, key);
        return length <= 0 ? MatchVerdict.NotListed : MatchKey(key[..length]);
    }

    /// <summary>The verdict for a name in keyed form (wire, lower case, no root octet, not empty).</summary>
    private MatchVerdict MatchKey(ReadOnlySpan<byte> name)
    {
        // Per priority class below important allow, the first (most specific) match, as index << 3 | bit; -1 if none.
        int importantBlock = -1;
        int allow = -1;
        int block = -1;
        int visible = 0xFF;
        int position = 0;
        while (position < name.Length)
        {
            var suffix = name[position..];
            int index = DomainTable.Find(_slots, _arena, _offsets, suffix, DomainTable.Hash(suffix, _seed), out _);
            if (index >= 0)
            {
                int flags = _flags[index] & visible;
                if ((flags & (int)RuleFlags.ImportantAllow) != 0)
                {
                    return Verdict(MatchOutcome.Allowed, index, flags & (int)RuleFlags.ImportantAllow);
                }

                importantBlock = First(importantBlock, index, flags & (int)RuleFlags.ImportantBlock);
                allow = First(allow, index, flags & (int)RuleFlags.Allow);
                block = First(block, index, flags & (int)RuleFlags.Block);
            }

            // Above the name itself only the rules that cover subdomains apply.
            visible = (int)RuleFlags.Subtree;
            position += 1 + name[position];
        }

        return importantBlock >= 0 ? Verdict(MatchOutcome.Blocked, importantBlock)
            : allow >= 0 ? Verdict(MatchOutcome.Allowed, allow)
            : block >= 0 ? Verdict(MatchOutcome.Blocked, block)
            : MatchVerdict.NotListed;
    }

    private static int First(int found, int index, int flags) =>
        found >= 0 || flags == 0 ? found : (index << 3) | System.Numerics.BitOperations.TrailingZeroCount(flags);

    private static MatchVerdict Verdict(MatchOutcome outcome, int index, int flags) =>
        new(outcome, index, (byte)System.Numerics.BitOperations.TrailingZeroCount(flags));

    private static MatchVerdict Verdict(MatchOutcome outcome, int packed) => new(outcome, packed >> 3, (byte)(packed & 7));
}
