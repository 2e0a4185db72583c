using System.Numerics;
using Palisade.Protocol;

namespace Palisade.Server.Handlers.Forwarding;

/// <summary>
/// The names that kept NS, MX and SRV records point to, as a hash set over storage the caller gives, so that asking
/// whether an additional record is glue costs one lookup instead of a walk of the message. A name is held as where
/// it sits in the message (it may be compressed) and its hash; it is decoded again only when a hash matches.
/// </summary>
/// <remarks>
/// Open addressing with linear probing, three ints an entry: the hash, where the name starts, where its field ends
/// (0 where no entry is). The table is sized for twice the records that could add a name, so it never fills. The
/// hash is <see cref="HashCode"/>'s, seeded per process, so an upstream cannot choose names that collide.
/// </remarks>
internal ref struct GlueTargets
{
    private const int EntryInts = 3;

    private readonly ReadOnlySpan<byte> _message;
    private readonly Span<int> _table;
    private readonly int _mask;

    /// <param name="message">The message the names are read from.</param>
    /// <param name="table">At least <see cref="TableLength"/> ints, all zero.</param>
    /// <param name="candidates">The most names that will be added.</param>
    public GlueTargets(ReadOnlySpan<byte> message, Span<int> table, int candidates)
    {
        _message = message;
        int entries = TableLength(candidates) / EntryInts;
        _table = table[..(entries * EntryInts)];
        _mask = entries - 1;
    }

    /// <summary>The ints of table that <paramref name="candidates"/> names need.</summary>
    public static int TableLength(int candidates) =>
        EntryInts * (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, 2 * candidates));

    /// <summary>Adds a name the message holds.</summary>
    /// <param name="name">The name, decoded and in lower case.</param>
    /// <param name="start">Where the name starts in the message.</param>
    /// <param name="end">Where the field that holds it ends.</param>
    public readonly void Add(scoped ReadOnlySpan<byte> name, int start, int end)
    {
        int hash = Hash(name);
        int index = Find(name, hash);
        if (_table[index + 1] == 0)
        {
            _table[index] = hash;
            _table[index + 1] = start;
            _table[index + 2] = end;
        }
    }

    /// <summary>Whether <paramref name="name"/> (decoded, in lower case) was added.</summary>
    public readonly bool Contains(scoped ReadOnlySpan<byte> name) => _table[Find(name, Hash(name)) + 1] != 0;

    /// <summary>Names come here in lower case already: no need to fold them again.</summary>
    private static int Hash(scoped ReadOnlySpan<byte> name)
    {
        var hash = default(HashCode);
        hash.AddBytes(name);
        return hash.ToHashCode();
    }

    /// <summary>The entry that holds <paramref name="name"/>, or the empty one where it would go.</summary>
    private readonly int Find(scoped ReadOnlySpan<byte> name, int hash)
    {
        int entry = hash & _mask;
        while (true)
        {
            int index = entry * EntryInts;
            int start = _table[index + 1];
            if (start == 0 || (_table[index] == hash && Holds(start, _table[index + 2], name)))
            {
                return index;
            }

            entry = (entry + 1) & _mask;
        }
    }

    /// <summary>Is the name at <paramref name="start"/> <paramref name="name"/>? Decoded only when the hashes match.</summary>
    private readonly bool Holds(int start, int end, scoped ReadOnlySpan<byte> name)
    {
        Span<byte> held = stackalloc byte[DnsConstants.MaxNameLength];
        return AnswerScrubber.TryReadLowerName(_message, start, end, held, out int length) && held[..length].SequenceEqual(name);
    }
}
