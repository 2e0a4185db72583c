using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using Palisade.Protocol;
using Palisade.Server.Configuration;

namespace Palisade.Server.Caching;

/// <summary>
/// The response cache: whole responses in wire form, keyed by <see cref="CacheKey"/>, bounded by <c>cache.maxSize</c>
/// in estimated managed bytes, least recently used evicted first. Thread-safe: the keys are spread over up to 32
/// shards, each with its own lock, dictionary, LRU list and equal share of the size. A lookup allocates nothing and
/// holds its shard's lock only to find the entry and move it to the front; the copy into the caller's buffer is made
/// outside the lock (a stored response is never changed).
/// </summary>
/// <remarks>
/// <para><b>TTLs.</b> Each entry has one lifetime, L seconds, fixed when it is stored:</para>
/// <list type="bullet">
/// <item>an answer (NOERROR with answer records): the lowest answer TTL, raised to <c>minTtl</c> and lowered to
/// <c>maxTtl</c>; when the authority section has an SOA too (a CNAME chain ending in NODATA or NXDOMAIN), no longer
/// than the negative lifetime below;</item>
/// <item>a negative answer (NXDOMAIN, or NOERROR with no answer records: NODATA): the SOA's negative TTL, the lesser of
/// its TTL and MINIMUM (RFC 2308 s5), raised to <c>minTtl</c>, lowered to <c>maxTtl</c> and to <c>negativeMaxTtl</c>.
/// A negative answer without an SOA is not cached at all: RFC 2308 s5 says it SHOULD NOT be, as nothing then bounds how
/// long it may loop between caches;</item>
/// <item>SERVFAIL: <see cref="ServerFailureTtl"/> seconds (lowered to <c>maxTtl</c>). RFC 2308 s7.1 lets a resolver
/// cache a server failure for at most five minutes, and RFC 9520 s3 requires failures to be cached (at least one
/// second) so that a failing name does not send every client query upstream. A forwarder's SERVFAIL usually means the
/// upstream had a passing problem, so five seconds spares the upstream a storm without keeping clients waiting for a
/// recovery. A SERVFAIL never replaces a good entry (fresh or still servable stale): that entry is what serve-stale
/// answers with while the upstream fails.</item>
/// </list>
/// <para>When stored, every record's TTL is clamped to [<c>minTtl</c>, <c>maxTtl</c>] and then lowered to L, so the
/// stored octets already say what clients may see; records in the authority and additional sections with a shorter
/// TTL keep it. On the way out the seconds spent in the cache, rounded up, are subtracted (stopping at 0), so a client
/// never sees a TTL larger than the entry's remaining lifetime. TTLs with the top bit set count as 0 (RFC 2181 s8). An
/// entry whose L is 0 is not stored.</para>
/// <para><b>Serve-stale</b> (RFC 8767): with <c>serveStale</c> on, an expired entry is returned as
/// <see cref="CacheStatus.Stale"/> until <c>staleMaxAge</c> past its expiry, every TTL set to <see cref="StaleTtl"/>;
/// past that (or at once with <c>serveStale</c> off, and always for SERVFAIL) it is dropped on lookup.</para>
/// <para><b>Prefetch</b>: a fresh lookup reports <see cref="CacheLookup.ShouldPrefetch"/> once in the entry's life,
/// when less than a tenth of L is left, L is at least <see cref="PrefetchMinimumTtl"/> seconds and the entry has had at
/// least <see cref="PrefetchMinimumHits"/> fresh hits, this one included.</para>
/// <para><b>Size.</b> An entry counts its key, response and TTL-offset arrays as the runtime lays them out (24 octets
/// of header and length, the data, rounded up to 8), the entry object (<see cref="CacheEntry.ObjectBytes"/>) and
/// <see cref="DictionaryBytesPerEntry"/> for its dictionary slot and bucket with the table's slack: see
/// <see cref="EstimateEntrySize"/>.</para>
/// </remarks>
public sealed partial class ResponseCache
{
    /// <summary>How long a SERVFAIL is kept, in seconds.</summary>
    public const uint ServerFailureTtl = 5;

    /// <summary>The TTL of every record in a stale answer (RFC 8767 s4).</summary>
    public const uint StaleTtl = 30;

    /// <summary>Entries with a shorter lifetime, in seconds, are never prefetched.</summary>
    public const uint PrefetchMinimumTtl = 10;

    /// <summary>Fresh hits an entry needs before it is prefetched.</summary>
    public const int PrefetchMinimumHits = 2;

    /// <summary>
    /// A dictionary slot (hash, next, key and value references: 24 octets) and its bucket (4), times about 1.5 for the
    /// table's spare capacity (it grows to a prime at least twice its count and never shrinks), rounded up.
    /// </summary>
    public const int DictionaryBytesPerEntry = 48;

    /// <summary>The most shards; fewer when the cache is small, so that each holds a useful share.</summary>
    public const int MaxShardCount = 32;

    /// <summary>The least size a shard gets before the cache is split further.</summary>
    private const long MinShardBytes = 256 * 1024;

    /// <summary>Below this size TTL offsets are gathered on the stack when storing.</summary>
    private const int StackTtlOffsets = 256;

    /// <summary>The least size of a record (a root owner name and its fixed fields).</summary>
    private const int MinRecordSize = 11;

    private readonly TimeProvider _timeProvider;
    private readonly Shard[] _shards;
    private readonly int _shardMask;
    private readonly bool _enabled;
    private readonly bool _serveStale;
    private readonly bool _prefetch;
    private readonly uint _minTtl;
    private readonly uint _maxTtl;
    private readonly uint _negativeMaxTtl;
    private readonly long _staleMaxAgeTicks;
    private readonly long _frequency;

    public ResponseCache(CacheOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxSize);
        _timeProvider = timeProvider;
        _frequency = timeProvider.TimestampFrequency;
        _enabled = options.MaxSize > 0;
        _serveStale = options.ServeStale;
        _prefetch = options.Prefetch;
        _minTtl = ToSeconds(options.MinTtl);
        _maxTtl = ToSeconds(options.MaxTtl);
        _negativeMaxTtl = ToSeconds(options.NegativeMaxTtl);
        _staleMaxAgeTicks = options.ServeStale ? ToTicks(options.StaleMaxAge) : 0;
        MaxSize = options.MaxSize;

        int shardCount = (int)Math.Clamp(options.MaxSize / MinShardBytes, 1, MaxShardCount);
        shardCount = (int)BitOperations.RoundUpToPowerOf2((uint)shardCount + 1) / 2;
        _shardMask = shardCount - 1;
        _shards = new Shard[shardCount];
        long share = options.MaxSize / shardCount;
        for (int i = 0; i < shardCount; i++)
        {
            _shards[i] = new Shard(share);
        }
    }

    /// <summary><c>cache.maxSize</c>: the bound on <see cref="SizeInBytes"/>.</summary>
    public long MaxSize { get; }

    /// <summary>The estimated managed size of every entry held (a snapshot: others may be storing meanwhile).</summary>
    public long SizeInBytes
    {
        get
        {
            long size = 0;
            foreach (var shard in _shards)
            {
                size += shard.Size;
            }

            return size;
        }
    }

    /// <summary>The number of entries held, stale ones included (a snapshot).</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (var shard in _shards)
            {
                count += shard.Count;
            }

            return count;
        }
    }

    /// <summary>How many independently locked parts the cache is split into.</summary>
    internal int ShardCount => _shards.Length;

    /// <summary>
    /// The estimated managed size of an entry: its key, response and TTL-offset arrays, the entry object and its
    /// dictionary slot.
    /// </summary>
    public static long EstimateEntrySize(int keyLength, int responseLength, int ttlCount) =>
        ArrayBytes(keyLength) + ArrayBytes(responseLength) + ArrayBytes(2 * ttlCount) +
        CacheEntry.ObjectBytes + DictionaryBytesPerEntry;

    /// <summary>
    /// Looks <paramref name="key"/> up and, on a hit, writes the stored response into <paramref name="destination"/>
    /// with its TTLs lowered by the time spent in the cache (or set to 30 s when stale). The caller then sets the ID and
    /// copies the question's letter case from the query (<see cref="DnsMessagePatcher"/>). Allocates nothing.
    /// </summary>
    /// <param name="key">From <see cref="CacheKey.TryCreate"/>.</param>
    /// <param name="destination">Where the answer goes; give it <see cref="DnsConstants.MaxMessageSize"/> octets (a
    /// smaller buffer that cannot hold the answer gives a miss).</param>
    /// <param name="written">The answer's length, or 0 on a miss.</param>
    public CacheLookup Lookup(ReadOnlySpan<byte> key, Span<byte> destination, out int written)
    {
        written = 0;
        if (!_enabled || key.Length < CacheKey.MinLength)
        {
            return CacheLookup.Miss;
        }

        int hash = CacheKeyComparer.Hash(key);
        var shard = _shards[ShardIndex(hash)];
        long now = _timeProvider.GetTimestamp();
        CacheEntry? entry;
        CacheStatus status;
        bool prefetch = false;
        long age;
        lock (shard.Lock)
        {
            if (!shard.Entries.TryGetValue(key, out entry))
            {
                return CacheLookup.Miss;
            }

            age = Math.Max(0, now - entry.StoredAt);
            if (age < entry.FreshTicks)
            {
                status = CacheStatus.Fresh;
                if (entry.Hits < int.MaxValue)
                {
                    entry.Hits++;
                }

                if (_prefetch && !entry.PrefetchReported && entry.Ttl >= PrefetchMinimumTtl &&
                    entry.Hits >= PrefetchMinimumHits && (entry.FreshTicks - age) * 10 < entry.FreshTicks)
                {
                    entry.PrefetchReported = true;
                    prefetch = true;
                }
            }
            else if (age < entry.StaleTicks)
            {
                status = CacheStatus.Stale;
            }
            else
            {
                shard.Remove(entry);
                return CacheLookup.Miss;
            }

            shard.MoveToFront(entry);
        }

        var response = entry.Response;
        if (destination.Length < response.Length)
        {
            return CacheLookup.Miss;
        }

        var message = destination[..response.Length];
        response.CopyTo(message);
        if (status == CacheStatus.Fresh)
        {
            // Rounded up, so that what a client is told never outlives the entry.
            long seconds = (age + _frequency - 1) / _frequency;
            if (seconds > 0)
            {
                DnsMessagePatcher.SubtractFromTtls(message, entry.TtlOffsets, (uint)Math.Min(seconds, uint.MaxValue));
            }
        }
        else
        {
            DnsMessagePatcher.SetTtls(message, entry.TtlOffsets, StaleTtl);
        }

        written = response.Length;
        return new CacheLookup(status, prefetch);
    }

    /// <summary>
    /// Stores <paramref name="response"/> under <paramref name="key"/> if it may be cached (see the remarks on the
    /// class), replacing what was there.
    /// </summary>
    /// <param name="key">The key of the query this answers, from <see cref="CacheKey.TryCreate"/>.</param>
    /// <param name="response">The upstream's response. Copied: the caller may reuse its buffer.</param>
    /// <returns>
    /// false when it is not cacheable: the cache is off; it is malformed, not a response to a standard query, or
    /// truncated (TC); its question is not the key's; its RCODE is other than NOERROR, NXDOMAIN or SERVFAIL; it is
    /// negative without an SOA; its lifetime is 0; it is larger than a shard; or it is a SERVFAIL and a good entry is
    /// held.
    /// </returns>
    public bool TryStore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> response)
    {
        if (!_enabled || key.Length < CacheKey.MinLength || key.Length > CacheKey.MaxLength ||
            response.Length > DnsConstants.MaxMessageSize ||
            !DnsHeader.TryRead(response, out var header) ||
            !header.IsResponse || header.Truncated || header.Opcode != DnsOpcode.Query)
        {
            return false;
        }

        Span<byte> question = stackalloc byte[CacheKey.MaxLength];
        if (!CacheKey.TryWriteQuestion(response, question, out int questionLength) ||
            !question[..questionLength].SequenceEqual(key[..^1]))
        {
            return false;
        }

        int responseCode = header.ResponseCodeLow;
        if (DnsMessageInspector.TryGetOpt(response, out var opt))
        {
            responseCode |= opt.ExtendedResponseCode << 4;
        }

        int recordCount = header.AnswerCount + header.AuthorityCount + header.AdditionalCount;
        int capacity = Math.Min(recordCount, (response.Length - DnsConstants.HeaderSize) / MinRecordSize);
        ushort[]? rented = null;
        Span<ushort> offsets = capacity <= StackTtlOffsets
            ? stackalloc ushort[StackTtlOffsets]
            : (rented = ArrayPool<ushort>.Shared.Rent(capacity));
        try
        {
            if (!TryGetLifetime(response, (DnsResponseCode)responseCode, header.AnswerCount, offsets, out int ttlCount, out uint ttl) ||
                ttl == 0)
            {
                return false;
            }

            long size = EstimateEntrySize(key.Length, response.Length, ttlCount);
            int hash = CacheKeyComparer.Hash(key);
            var shard = _shards[ShardIndex(hash)];
            if (size > shard.Capacity)
            {
                return false;
            }

            byte[] stored = response.ToArray();
            var ttlOffsets = offsets[..ttlCount].ToArray();
            foreach (ushort offset in ttlOffsets)
            {
                var field = stored.AsSpan(offset, 4);
                uint recordTtl = Math.Min(Clamp(ReadTtl(field)), ttl);
                BinaryPrimitives.WriteUInt32BigEndian(field, recordTtl);
            }

            bool isServerFailure = responseCode == (int)DnsResponseCode.ServerFailure;
            long freshTicks = ttl * _frequency;
            long staleTicks = isServerFailure ? freshTicks : SaturatingAdd(freshTicks, _staleMaxAgeTicks);
            long now = _timeProvider.GetTimestamp();
            var entry = new CacheEntry(key.ToArray(), stored, ttlOffsets, now, freshTicks, staleTicks, ttl, isServerFailure, size);
            lock (shard.Lock)
            {
                return shard.Add(entry, now);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<ushort>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        foreach (var shard in _shards)
        {
            lock (shard.Lock)
            {
                shard.Clear();
            }
        }
    }
}
