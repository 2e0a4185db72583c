namespace Palisade.Server.Caching;

/// <summary>
/// One cached response. What it was stored with never changes (so a reader may copy it outside the shard's lock); the
/// LRU links, the hit count and the prefetch mark change only under the lock of the shard that holds it.
/// </summary>
internal sealed class CacheEntry
{
    /// <summary>
    /// Managed bytes of one entry object on a 64-bit runtime: object header and method table (16), five references
    /// (40), four longs (32), a uint and an int (8), two bools padded (8).
    /// </summary>
    public const int ObjectBytes = 104;

    public CacheEntry(
        byte[] key,
        byte[] response,
        ushort[] ttlOffsets,
        long storedAt,
        long freshTicks,
        long staleTicks,
        uint ttl,
        bool isServerFailure,
        long size)
    {
        Key = key;
        Response = response;
        TtlOffsets = ttlOffsets;
        StoredAt = storedAt;
        FreshTicks = freshTicks;
        StaleTicks = staleTicks;
        Ttl = ttl;
        IsServerFailure = isServerFailure;
        Size = size;
    }

    /// <summary>The key, lowered, with its flags octet.</summary>
    public byte[] Key { get; }

    /// <summary>The response as stored: TTLs already clamped, none above <see cref="Ttl"/>.</summary>
    public byte[] Response { get; }

    /// <summary>Where the TTL fields are (OPT's excepted), found once when stored.</summary>
    public ushort[] TtlOffsets { get; }

    /// <summary>When it was stored, in <see cref="TimeProvider.GetTimestamp"/> units.</summary>
    public long StoredAt { get; }

    /// <summary>How long after <see cref="StoredAt"/> it stays fresh, in timestamp units (<see cref="Ttl"/> seconds).</summary>
    public long FreshTicks { get; }

    /// <summary>How long after <see cref="StoredAt"/> it may still be served stale; past it the entry is dropped.</summary>
    public long StaleTicks { get; }

    /// <summary>Its lifetime in seconds, after clamping: the largest TTL any of its records carries.</summary>
    public uint Ttl { get; }

    /// <summary>A SERVFAIL: kept only briefly and never served stale.</summary>
    public bool IsServerFailure { get; }

    /// <summary>Its estimated managed size, counted against <c>cache.maxSize</c>.</summary>
    public long Size { get; }

    /// <summary>Toward the most recently used end of the shard's list.</summary>
    public CacheEntry? Previous { get; set; }

    /// <summary>Toward the least recently used end of the shard's list.</summary>
    public CacheEntry? Next { get; set; }

    /// <summary>Fresh lookups that found it.</summary>
    public int Hits { get; set; }

    /// <summary>A lookup has already asked for it to be prefetched.</summary>
    public bool PrefetchReported { get; set; }
}
