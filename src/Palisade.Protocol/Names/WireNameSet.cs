namespace Palisade.Protocol;

/// <summary>
/// A small set of names in uncompressed wire form over storage the caller gives (a stack buffer, typically), in the
/// order they were added, kept in ASCII lower case and compared ignoring case. Made for a handful of names looked up
/// by a linear scan: a CNAME chain, the zones an answer may speak for.
/// </summary>
/// <remarks>
/// Each name takes one slot of <see cref="SlotSize"/> octets: a length octet, then the name. Names are checked
/// against that slot only (at most <see cref="DnsConstants.MaxNameLength"/> octets); their labels are taken as valid.
/// </remarks>
public ref struct WireNameSet
{
    /// <summary>The octets of storage one name takes: its length, then up to 255 octets of name.</summary>
    public const int SlotSize = DnsConstants.MaxNameLength + 1;

    private readonly Span<byte> _storage;

    /// <summary>A set with room for <c>storage.Length / SlotSize</c> names.</summary>
    public WireNameSet(Span<byte> storage)
    {
        _storage = storage;
        Count = 0;
    }

    /// <summary>How many names the set holds.</summary>
    public int Count { get; private set; }

    /// <summary>How many names the storage has room for.</summary>
    public readonly int Capacity => _storage.Length / SlotSize;

    /// <summary>The name at <paramref name="index"/> (0 is the first added still held), in lower case.</summary>
    public readonly ReadOnlySpan<byte> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            var slot = _storage.Slice(index * SlotSize, SlotSize);
            return slot.Slice(1, slot[0]);
        }
    }

    /// <summary>Adds <paramref name="name"/>, in lower case, after the names already held.</summary>
    /// <returns>false when the set already holds it or has no room left.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or longer than 255 octets.</exception>
    public bool TryAdd(scoped ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.Length > DnsConstants.MaxNameLength)
        {
            ThrowHelper.ThrowArgument(nameof(name), "A name in wire form is 1 to 255 octets.");
        }

        if (Count == Capacity || Contains(name))
        {
            return false;
        }

        var slot = _storage.Slice(Count * SlotSize, SlotSize);
        slot[0] = (byte)name.Length;
        WireNames.ToLower(name, slot[1..]);
        Count++;
        return true;
    }

    /// <summary>The index of <paramref name="name"/>, ignoring case, or -1.</summary>
    public readonly int IndexOf(scoped ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < Count; i++)
        {
            if (WireNames.EqualsIgnoreCase(this[i], name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether the set holds <paramref name="name"/>, ignoring case.</summary>
    public readonly bool Contains(scoped ReadOnlySpan<byte> name) => IndexOf(name) >= 0;

    /// <summary>Whether <paramref name="name"/> is at or below one of the names held (as zones).</summary>
    public readonly bool IsAtOrBelowAny(scoped ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < Count; i++)
        {
            if (WireNames.IsAtOrBelow(name, this[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether one of the names held is at or below <paramref name="zone"/>: is the zone an ancestor of one of them, or one of them?</summary>
    public readonly bool AnyIsAtOrBelow(scoped ReadOnlySpan<byte> zone)
    {
        for (int i = 0; i < Count; i++)
        {
            if (WireNames.IsAtOrBelow(this[i], zone))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Adds <paramref name="zone"/> to a set of zones that <see cref="IsAtOrBelowAny"/> asks about, keeping only the
    /// topmost: nothing is added when a zone held already covers it, and the zones it covers are removed. What
    /// <see cref="IsAtOrBelowAny"/> answers is the same as if every zone had been added, while the set stays as small
    /// as it can be (zones that are each an ancestor of one of n names never number more than n).
    /// </summary>
    /// <returns>false when the zone had to be added and there was no room.</returns>
    public bool TryAddZone(scoped ReadOnlySpan<byte> zone)
    {
        if (IsAtOrBelowAny(zone))
        {
            return true;
        }

        int kept = 0;
        for (int i = 0; i < Count; i++)
        {
            if (WireNames.IsAtOrBelow(this[i], zone))
            {
                continue;
            }

            if (kept != i)
            {
                _storage.Slice(i * SlotSize, SlotSize).CopyTo(_storage.Slice(kept * SlotSize, SlotSize));
            }

            kept++;
        }

        Count = kept;
        return TryAdd(zone);
    }
}
