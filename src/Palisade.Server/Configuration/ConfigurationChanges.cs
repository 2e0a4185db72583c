namespace Palisade.Server.Configuration;

/// <summary>
/// The keys whose values differ between two configurations, named as in the file (<c>blocking.deny</c>,
/// <c>upstreams</c>), and which of them only a restart can apply: what a reload reports.
/// </summary>
public static class ConfigurationChanges
{
    /// <summary>
    /// The keys only a restart applies: the listeners are bound once, at start (and a port below 1024 may need rights
    /// the running process has given up); the served certificate's files are watched by the listeners that hold it.
    /// (<c>log.level</c> is not among them: the host's logger reads the level in force on every line.)
    /// </summary>
    public static IReadOnlySet<string> RestartRequired { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "listen", "tlsListen", "httpsListen", "tls.certificate", "tls.privateKey",
    };

    /// <summary>The keys that differ, in the order of the configuration reference; empty when the two are equal.</summary>
    public static IReadOnlyList<string> Compare(PalisadeOptions before, PalisadeOptions after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changed = new List<string>();
        void Check(string key, bool same)
        {
            if (!same)
            {
                changed.Add(key);
            }
        }

        Check("listen", before.Listen.SequenceEqual(after.Listen));
        Check("upstreams", before.Upstreams.SequenceEqual(after.Upstreams));
        Check("bootstrap", before.Bootstrap.SequenceEqual(after.Bootstrap));
        Check("upstreamStrategy", before.UpstreamStrategy == after.UpstreamStrategy);
        Check("upstreamTimeout", before.UpstreamTimeout == after.UpstreamTimeout);
        Check("tlsListen", before.TlsListen.SequenceEqual(after.TlsListen));
        Check("httpsListen", before.HttpsListen.SequenceEqual(after.HttpsListen));
        Check("tls.certificate", string.Equals(before.Tls.Certificate, after.Tls.Certificate, StringComparison.Ordinal));
        Check("tls.privateKey", string.Equals(before.Tls.PrivateKey, after.Tls.PrivateKey, StringComparison.Ordinal));

        var (access, newAccess) = (before.Access, after.Access);
        Check("access.allow", access.IsDefaultAllow == newAccess.IsDefaultAllow && access.Allow.SequenceEqual(newAccess.Allow));
        Check("access.action", access.Action == newAccess.Action);

        var (rate, newRate) = (before.RateLimit, after.RateLimit);
        Check("rateLimit.queriesPerSecond", rate.QueriesPerSecond == newRate.QueriesPerSecond);
        Check("rateLimit.burst", rate.Burst == newRate.Burst);
        Check("rateLimit.ipv4Prefix", rate.IPv4Prefix == newRate.IPv4Prefix);
        Check("rateLimit.ipv6Prefix", rate.IPv6Prefix == newRate.IPv6Prefix);

        var (cache, newCache) = (before.Cache, after.Cache);
        Check("cache.maxSize", cache.MaxSize == newCache.MaxSize);
        Check("cache.minTtl", cache.MinTtl == newCache.MinTtl);
        Check("cache.maxTtl", cache.MaxTtl == newCache.MaxTtl);
        Check("cache.negativeMaxTtl", cache.NegativeMaxTtl == newCache.NegativeMaxTtl);
        Check("cache.serveStale", cache.ServeStale == newCache.ServeStale);
        Check("cache.staleMaxAge", cache.StaleMaxAge == newCache.StaleMaxAge);
        Check("cache.prefetch", cache.Prefetch == newCache.Prefetch);

        Check("dataDir", string.Equals(before.DataDir, after.DataDir, StringComparison.Ordinal));

        var (blocking, newBlocking) = (before.Blocking, after.Blocking);
        Check("blocking.lists", blocking.Lists.SequenceEqual(newBlocking.Lists));
        Check("blocking.allowLists", blocking.AllowLists.SequenceEqual(newBlocking.AllowLists));
        Check("blocking.allow", blocking.Allow.SequenceEqual(newBlocking.Allow, StringComparer.Ordinal));
        Check("blocking.deny", blocking.Deny.SequenceEqual(newBlocking.Deny, StringComparer.Ordinal));
        Check("blocking.refreshInterval", blocking.RefreshInterval == newBlocking.RefreshInterval);
        Check("blocking.cacheDir", string.Equals(blocking.CacheDir, newBlocking.CacheDir, StringComparison.Ordinal));
        Check("blocking.response", blocking.Response == newBlocking.Response);
        Check("blocking.blockedTtl", blocking.BlockedTtl == newBlocking.BlockedTtl);
        Check("blocking.cnameInspection", blocking.CnameInspection == newBlocking.CnameInspection);

        Check("security.rebindingProtection", before.Security.RebindingProtection == after.Security.RebindingProtection);
        Check("security.rebindingAllow", before.Security.RebindingAllow.SequenceEqual(after.Security.RebindingAllow, StringComparer.Ordinal));
        Check("log.level", before.Log.Level == after.Log.Level);

        // A setting added to the options but not named above still shows, by its section, rather than going unreported.
        Check("access", changed.Exists(k => k.StartsWith("access.", StringComparison.Ordinal)) || access == newAccess);
        Check("rateLimit", changed.Exists(k => k.StartsWith("rateLimit.", StringComparison.Ordinal)) || rate == newRate);
        Check("cache", changed.Exists(k => k.StartsWith("cache.", StringComparison.Ordinal)) || cache == newCache);
        Check("blocking", changed.Exists(k => k.StartsWith("blocking.", StringComparison.Ordinal)) || blocking == newBlocking);
        Check("security", changed.Exists(k => k.StartsWith("security.", StringComparison.Ordinal)) || before.Security == after.Security);
        Check("tls", changed.Exists(k => k.StartsWith("tls.", StringComparison.Ordinal)) || before.Tls == after.Tls);
        Check("log", changed.Exists(k => k.StartsWith("log.", StringComparison.Ordinal)) || before.Log == after.Log);
        if (changed.Count == 0 && before != after)
        {
            changed.Add("(a setting not named in ConfigurationChanges)");
        }

        return changed;
    }
}
