using System.Security.Cryptography;
using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Blocklists.Matching;

/// <summary>
/// Collects the rules of every list into one set of domains, each stored once with the kinds of rule it carries,
/// then <see cref="Build"/>s the immutable <see cref="BlocklistMatcher"/>. Not thread-safe: build off to the side
/// and swap the result in.
/// </summary>
public sealed class BlocklistMatcherBuilder
{
    private readonly ulong _seed;
    private readonly List<(long Key, RuleSource Source)> _extraSources = [];
    private byte[] _arena;
    private int _arenaLength;
    private int[] _offsets;
    private byte[] _flags;
    private byte[] _primaryBits;
    private ushort[] _lists;
    private int[] _lines;
    private ulong[] _slots;

    /// <param name="expectedDomains">How many distinct domains to size for (0 if unknown); it only saves regrowing.</param>
    public BlocklistMatcherBuilder(int expectedDomains = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedDomains);
        Span<byte> seed = stackalloc byte[sizeof(ulong)];
        RandomNumberGenerator.Fill(seed);
        _seed = BitConverter.ToUInt64(seed);

        int capacity = Math.Max(16, expectedDomains);
        _arena = new byte[capacity * 24];
        _offsets = new int[capacity + 1];
        _flags = new byte[capacity];
        _primaryBits = new byte[capacity];
        _lists = new ushort[capacity];
        _lines = new int[capacity];
        _slots = new ulong[DomainTable.Capacity(capacity)];
    }

    /// <summary>Distinct domains so far.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Adds a rule. A domain already present gains the rule's kind; for each kind the first source given is kept.
    /// </summary>
    /// <exception cref="ArgumentException">The domain is not a valid name (empty label, non-ASCII, too long).</exception>
    public void Add(in BlocklistRule rule, ushort listIndex)
    {
        Span<byte> key = stackalloc byte[DomainWire.MaxLength];
        int length = DomainWire.FromText(rule.Domain, key);
        if (length <= 0)
        {
            throw new ArgumentException($"'{rule.Domain}' (line {rule.Line}) is not a domain name.", nameof(rule));
        }

        key = key[..length];
        byte bit = BitOf(rule);
        ulong hash = DomainTable.Hash(key, _seed);
        int index = DomainTable.Find(_slots, _arena, _offsets, key, hash, out int slot);
        if (index < 0)
        {
            index = Append(key);
            _flags[index] = (byte)(1 << bit);
            _primaryBits[index] = bit;
            _lists[index] = listIndex;
            _lines[index] = rule.Line;
            _slots[slot] = DomainTable.Slot(hash, index);
            if (Count * 4L > _slots.Length * 3L)
            {
                _slots = DomainTable.Rebuild(_arena, _offsets, Count, _seed);
            }

            return;
        }

        if ((_flags[index] & (1 << bit)) == 0)
        {
            _flags[index] |= (byte)(1 << bit);
            _extraSources.Add((ExtraKey(index, bit), new RuleSource(listIndex, rule.Line)));
        }
    }

    /// <summary>The immutable matcher for the rules added so far; the builder stays usable.</summary>
    public BlocklistMatcher Build()
    {
        int count = Count;
        var arena = _arena.AsSpan(0, _arenaLength).ToArray();
        var offsets = _offsets.AsSpan(0, count + 1).ToArray();
        var keys = new long[_extraSources.Count];
        var sources = new RuleSource[_extraSources.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            (keys[i], sources[i]) = _extraSources[i];
        }

        Array.Sort(keys, sources);
        return new BlocklistMatcher(
            _seed,
            arena,
            offsets,
            _flags.AsSpan(0, count).ToArray(),
            _primaryBits.AsSpan(0, count).ToArray(),
            _lists.AsSpan(0, count).ToArray(),
            _lines.AsSpan(0, count).ToArray(),
            keys,
            sources,
            // The table holds indices, which compacting keeps: copy it when it is already the right size.
            _slots.Length == DomainTable.Capacity(count) ? (ulong[])_slots.Clone() : DomainTable.Rebuild(arena, offsets, count, _seed));
    }

    /// <summary>The bit of the rule's kind in <see cref="RuleFlags"/>.</summary>
    internal static byte BitOf(in BlocklistRule rule) => (byte)(
        (rule.Important ? 4 : 0) +
        (rule.Action == RuleAction.Allow ? 2 : 0) +
        (rule.Match == RuleMatch.WithSubdomains ? 1 : 0));

    /// <summary>The sort key of a source beyond a domain's first kind: domain index, then kind.</summary>
    internal static long ExtraKey(int index, byte bit) => ((long)index << 3) | bit;

    private int Append(ReadOnlySpan<byte> key)
    {
        int index = Count;
        if (index == _flags.Length)
        {
            int capacity = _flags.Length * 2;
            Array.Resize(ref _offsets, capacity + 1);
            Array.Resize(ref _flags, capacity);
            Array.Resize(ref _primaryBits, capacity);
            Array.Resize(ref _lists, capacity);
            Array.Resize(ref _lines, capacity);
        }

        if (_arenaLength + key.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaLength + key.Length));
        }

        key.CopyTo(_arena.AsSpan(_arenaLength));
        _arenaLength += key.Length;
        _offsets[index + 1] = _arenaLength;
        Count = index + 1;
        return index;
    }
}
