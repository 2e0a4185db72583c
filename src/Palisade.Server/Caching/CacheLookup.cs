namespace Palisade.Server.Caching;

/// <summary>What a cache lookup found.</summary>
public enum CacheStatus
{
    /// <summary>Nothing usable: no entry, or one too old even to serve stale. Nothing was written.</summary>
    Miss,

    /// <summary>A live entry; its answer was written with the TTLs lowered by its time in the cache.</summary>
    Fresh,

    /// <summary>
    /// An expired entry still within <c>cache.staleMaxAge</c> (with <c>cache.serveStale</c> on); its answer was written
    /// with every TTL set to 30 s (RFC 8767 s4). Send it only when the upstreams fail.
    /// </summary>
    Stale,
}

/// <summary>The outcome of <see cref="ResponseCache.Lookup"/>.</summary>
/// <param name="Status">Miss, fresh or stale.</param>
/// <param name="ShouldPrefetch">
/// A fresh, popular entry is close to expiry: refresh it from upstream in the background (and store the answer). Reported
/// once in an entry's life, so only one refresh is started.
/// </param>
public readonly record struct CacheLookup(CacheStatus Status, bool ShouldPrefetch)
{
    /// <summary>Nothing found.</summary>
    public static CacheLookup Miss => default;

    /// <summary>An answer was written (fresh or stale).</summary>
    public bool IsHit => Status != CacheStatus.Miss;
}
