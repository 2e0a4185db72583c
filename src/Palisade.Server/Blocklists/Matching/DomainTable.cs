using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Palisade.Server.Blocklists.Matching;

/// <summary>
/// The open-addressing hash table shared by the builder and the matcher. Domains sit back to back in one byte arena
/// (keyed form, see <see cref="DomainWire"/>); domain <c>i</c> is <c>arena[offsets[i]..offsets[i + 1]]</c>. A slot
/// is a <see cref="ulong"/>: the high 32 bits of the domain's hash (a tag, so a probe rarely touches the arena) over
/// <c>index + 1</c> (0 is an empty slot). Linear probing from the hash's low bits; the table is a power of two in
/// size and never more than three quarters full.
/// </summary>
internal static class DomainTable
{
    private const ulong Prime1 = 0x9E3779B97F4A7C15;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4F;
    private const ulong Prime3 = 0x165667B19E3779F9;

    /// <summary>The slot count for <paramref name="count"/> domains: a power of two, at most 3/4 full.</summary>
    public static int Capacity(int count)
    {
        long wanted = Math.Max(8, (count * 4L / 3) + 1);
        return (int)BitOperations.RoundUpToPowerOf2((ulong)wanted);
    }

    /// <summary>
    /// A seeded 64-bit hash of the octets: eight at a time (an xxHash64-style round), the tail as one overlapping or
    /// assembled word, then the murmur3 finalizer so both the low bits (the slot) and the high bits (the tag) mix.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ReadOnlySpan<byte> data, ulong seed)
    {
        ulong hash = seed ^ ((ulong)data.Length * Prime1);
        int length = data.Length;
        int position = 0;
        while (length - position > 8)
        {
            hash = Round(hash, BinaryPrimitives.ReadUInt64LittleEndian(data[position..]));
            position += 8;
        }

        ulong tail;
        if (length >= 8)
        {
            tail = BinaryPrimitives.ReadUInt64LittleEndian(data[(length - 8)..]);
        }
        else if (length >= 4)
        {
            tail = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(data) << 32) |
                BinaryPrimitives.ReadUInt32LittleEndian(data[(length - 4)..]);
        }
        else
        {
            tail = 0;
            foreach (byte b in data)
            {
                tail = (tail << 8) | b;
            }
        }

        hash = Round(hash, tail);
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCD;
        hash ^= hash >> 33;
        hash *= 0xC4CEB9FE1A85EC53;
        hash ^= hash >> 33;
        return hash;
    }

    public static ulong Slot(ulong hash, int index) => (hash & 0xFFFF_FFFF_0000_0000) | (uint)(index + 1);

    /// <summary>Finds <paramref name="key"/>; on a miss, <paramref name="slot"/> is the empty slot it would take.</summary>
    /// <returns>The domain's index, or -1.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Find(
        ulong[] slots, byte[] arena, int[] offsets, ReadOnlySpan<byte> key, ulong hash, out int slot)
    {
        int mask = slots.Length - 1;
        uint tag = (uint)(hash >> 32);
        int i = (int)hash & mask;
        while (true)
        {
            ulong entry = slots[i];
            if (entry == 0)
            {
                slot = i;
                return -1;
            }

            if ((uint)(entry >> 32) == tag)
            {
                int index = (int)(uint)entry - 1;
                int start = offsets[index];
                if (arena.AsSpan(start, offsets[index + 1] - start).SequenceEqual(key))
                {
                    slot = i;
                    return index;
                }
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>Puts <paramref name="index"/> in the first empty slot from its hash on (it must not be there).</summary>
    public static void Insert(ulong[] slots, ulong hash, int index)
    {
        int mask = slots.Length - 1;
        int i = (int)hash & mask;
        while (slots[i] != 0)
        {
            i = (i + 1) & mask;
        }

        slots[i] = Slot(hash, index);
    }

    /// <summary>A fresh table for the first <paramref name="count"/> domains of the arena.</summary>
    public static ulong[] Rebuild(byte[] arena, int[] offsets, int count, ulong seed)
    {
        var slots = new ulong[Capacity(count)];
        for (int index = 0; index < count; index++)
        {
            int start = offsets[index];
            Insert(slots, Hash(arena.AsSpan(start, offsets[index + 1] - start), seed), index);
        }

        return slots;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Round(ulong hash, ulong word) =>
        BitOperations.RotateLeft(hash ^ (word * Prime2), 31) * Prime3;
}
