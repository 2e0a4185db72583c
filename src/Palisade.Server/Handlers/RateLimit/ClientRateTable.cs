using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Palisade.Server.Configuration;

namespace Palisade.Server.Handlers.RateLimit;

/// <summary>
/// A token bucket per client prefix (an IPv4 /32, an IPv6 /64 by default), in a table of fixed size allocated once, so
/// that a flood from any number of (forged) addresses can neither grow memory nor allocate per query.
/// </summary>
/// <remarks>
/// <para>
/// Each bucket is kept as one number, its theoretical arrival time (the generic cell rate algorithm, GCRA): the moment
/// the bucket would be full again. A query is allowed when, after adding one interval (1 / queriesPerSecond) to
/// <c>max(TAT, now)</c>, the bucket is still no more than <c>burst</c> intervals ahead of now. That is exactly a token
/// bucket of <c>burst</c> tokens refilled at <c>queriesPerSecond</c>, without floating point or a refill step.
/// </para>
/// <para>
/// The table is set-associative: a keyed hash of the prefix picks a set of <see cref="Ways"/> entries, and a prefix not
/// in its set takes the entry that is least loaded (the smallest TAT: an empty entry, or one whose bucket has refilled,
/// first). A real heavy sender's entry is the most loaded of its set, so a spray of one-off forged addresses evicts only
/// each other and never resets it; a newcomer gets an entry of its own rather than sharing a busy one. The hash is keyed
/// by a random seed per table, so that a flooder cannot pick addresses that land in one chosen set. Keys are the exact
/// masked prefix, so two clients never share a bucket.
/// </para>
/// <para>Thread safety: a set is read and written under one of <see cref="LockStripes"/> locks, held for a scan of four entries.</para>
/// </remarks>
internal sealed class ClientRateTable
{
    /// <summary>Prefixes tracked at most by default: 100,000 entries of 32 octets, 3.2 MB.</summary>
    public const int DefaultCapacity = 100_000;

    /// <summary>Entries per set: two cache lines.</summary>
    private const int Ways = 4;

    private const int LockStripes = 256;

    /// <summary>The IPv4-mapped IPv6 prefix, <c>::ffff:0:0/96</c>, in the low half of a key: IPv4 keys are kept in this form.</summary>
    private const ulong MappedIPv4 = 0x0000_FFFF_0000_0000UL;

    private readonly Entry[] _entries;
    private readonly Lock[] _locks;
    private readonly int _sets;
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly long _burstSpan;
    private readonly uint _ipv4Mask;
    private readonly UInt128 _ipv6Mask;
    private readonly ulong _seed0;
    private readonly ulong _seed1;

    public ClientRateTable(RateLimitOptions options, TimeProvider timeProvider, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueriesPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Burst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = timeProvider;
        _sets = (capacity + Ways - 1) / Ways;
        _entries = new Entry[_sets * Ways];
        _locks = new Lock[LockStripes];
        for (int i = 0; i < _locks.Length; i++)
        {
            _locks[i] = new Lock();
        }

        _interval = Math.Max(1, (long)Math.Round((double)timeProvider.TimestampFrequency / options.QueriesPerSecond));
        _burstSpan = _interval * options.Burst;
        _ipv4Mask = options.IPv4Prefix == 0 ? 0 : uint.MaxValue << (32 - options.IPv4Prefix);
        _ipv6Mask = options.IPv6Prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - options.IPv6Prefix);
        Span<byte> seed = stackalloc byte[16];
        RandomNumberGenerator.Fill(seed);
        _seed0 = BinaryPrimitives.ReadUInt64LittleEndian(seed);
        _seed1 = BinaryPrimitives.ReadUInt64LittleEndian(seed[8..]);
    }

    /// <summary>The most prefixes tracked at once: the table never holds more, whatever arrives.</summary>
    public int Capacity => _entries.Length;

    /// <summary>Entries in use, counted by a scan (for tests and diagnostics, not the hot path).</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (ref readonly var entry in _entries.AsSpan())
            {
                count += entry.Tat != 0 ? 1 : 0;
            }

            return count;
        }
    }

    /// <summary>Counts one query from <paramref name="address"/> against its prefix's bucket and says what to do with it.</summary>
    public RateDecision Take(IPAddress address)
    {
        var key = KeyOf(address);
        ulong hash = Mix(Mix(((ulong)key) ^ _seed0) ^ (ulong)(key >> 64) ^ _seed1);
        int set = (int)(((hash >> 32) * (ulong)(uint)_sets) >> 32);
        long now = _time.GetTimestamp();
        lock (_locks[set & (LockStripes - 1)])
        {
            ref var entry = ref Find(_entries.AsSpan(set * Ways, Ways), key);

            // Queries that raced past the lock may carry a timestamp a little older than the entry's: never go back.
            long tat = Math.Max(entry.Tat, now);
            if (tat + _interval - now <= _burstSpan)
            {
                entry.Tat = tat + _interval;
                return RateDecision.Allow;
            }

            // The count runs on across spells under the limit: reset there, a client at twice the rate (allowed, over,
            // allowed, over...) would never be sent to TCP.
            entry.Limited++;
            return (entry.Limited & 1) == 0 ? RateDecision.Slip : RateDecision.Drop;
        }
    }

    /// <summary>
    /// The prefix of <paramref name="address"/> as a 128-bit key: IPv6 masked to its prefix; IPv4 (also when it came
    /// IPv4-mapped, as on a dual-stack socket) masked to its prefix and kept in the mapped form, so that the families never meet.
    /// </summary>
    private UInt128 KeyOf(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return new UInt128(0, MappedIPv4 | (BinaryPrimitives.ReadUInt32BigEndian(bytes) & _ipv4Mask));
        }

        address.TryWriteBytes(bytes, out _);
        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        if (value >> 32 == MappedIPv4 >> 32)
        {
            return new UInt128(0, MappedIPv4 | ((uint)value & _ipv4Mask));
        }

        return value & _ipv6Mask;
    }

    /// <summary>The entry of <paramref name="key"/> in <paramref name="set"/>, or the least loaded one, made over to it with a full bucket.</summary>
    private static ref Entry Find(Span<Entry> set, UInt128 key)
    {
        int victim = 0;
        for (int i = 0; i < set.Length; i++)
        {
            ref var entry = ref set[i];
            if (entry.Tat != 0 && entry.Key == key)
            {
                return ref entry;
            }

            if (entry.Tat < set[victim].Tat)
            {
                victim = i;
            }
        }

        ref var taken = ref set[victim];
        taken = new Entry { Key = key };
        return ref taken;
    }

    /// <summary>The finalizer of MurmurHash3: every input bit moves every output bit.</summary>
    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        x ^= x >> 33;
        return x;
    }

    /// <summary>One tracked prefix. <see cref="Tat"/> 0 marks an empty entry (real timestamps are never 0).</summary>
    private struct Entry
    {
        public UInt128 Key;

        /// <summary>The theoretical arrival time, in <see cref="TimeProvider"/> timestamp units.</summary>
        public long Tat;

        /// <summary>Over-limit queries so far; every second one slips.</summary>
        public uint Limited;
    }
}
