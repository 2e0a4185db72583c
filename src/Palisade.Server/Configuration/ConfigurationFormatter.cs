using System.Globalization;

namespace Palisade.Server.Configuration;

/// <summary>The effective configuration in a few lines, for the startup log.</summary>
public static class ConfigurationFormatter
{
    /// <summary>
    /// E.g. <c>listen: 0.0.0.0:53, [::]:53</c>, <c>upstreams: udp://9.9.9.9:53 (fastest, timeout 5s)</c>,
    /// <c>cache: 200MB, TTL 0s..1d, negative up to 1h, serve stale up to 1d, prefetch on</c>, <c>blocking: 2 lists, 0 allow lists, 0 inline rules; response nullIp, TTL 10s, CNAME inspection on, refresh 1d, cache ./data/lists</c>,
    /// <c>log: info</c>.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="localNetworks">
    /// This machine's networks as read at start, shown on the access line when <c>access.allow</c> is the default.
    /// </param>
    public static IReadOnlyList<string> ToDisplayLines(PalisadeOptions options, IReadOnlyList<System.Net.IPNetwork>? localNetworks = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cache = options.Cache;
        return
        [
            $"listen: {string.Join(", ", options.Listen)}"
                + (options.TlsListen.Count > 0 ? $"; DNS over TLS on {string.Join(", ", options.TlsListen)}" : string.Empty)
                + (options.HttpsListen.Count > 0 ? $"; DNS over HTTPS on {string.Join(", ", options.HttpsListen)}" : string.Empty),
            $"upstreams: {string.Join(", ", options.Upstreams)} ({ValueParsers.EnumName(options.UpstreamStrategy)}, timeout {ValueParsers.FormatDuration(options.UpstreamTimeout)}"
                + (options.Upstreams.Any(u => u.NeedsBootstrap) ? $"; bootstrap {string.Join(", ", options.Bootstrap)}" : string.Empty) + ")",
            cache.MaxSize == 0
                ? "cache: off"
                : $"cache: {ValueParsers.FormatSize(cache.MaxSize)}, TTL {ValueParsers.FormatDuration(cache.MinTtl)}..{ValueParsers.FormatDuration(cache.MaxTtl)}, "
                    + $"negative up to {ValueParsers.FormatDuration(cache.NegativeMaxTtl)}, "
                    + (cache.ServeStale ? $"serve stale up to {ValueParsers.FormatDuration(cache.StaleMaxAge)}" : "serve stale off")
                    + $", prefetch {(cache.Prefetch ? "on" : "off")}",
            AccessLine(options.Access, localNetworks),
            RateLimitLine(options.RateLimit),
            BlockingLine(options),
            SecurityLine(options.Security),
            $"log: {ValueParsers.EnumName(options.Log.Level)}",
        ];
    }

    /// <summary>
    /// E.g. <c>access: loopback, private networks, and this machine's networks 2001:db8:1::/64, 192.168.1.0/24 may
    /// query; others refused</c>, or the networks written in the configuration.
    /// </summary>
    private static string AccessLine(AccessOptions access, IReadOnlyList<System.Net.IPNetwork>? localNetworks)
    {
        string allowed = !access.IsDefaultAllow ? string.Join(", ", access.Allow)
            : localNetworks is null ? "loopback, private networks, and this machine's networks"
            : localNetworks.Count == 0 ? "loopback, private networks, and this machine's networks (none found)"
            : $"loopback, private networks, and this machine's networks {string.Join(", ", localNetworks)}";
        return $"access: {allowed} may query; others {(access.Action == AccessAction.Refuse ? "refused" : "dropped")}";
    }

    private static string BlockingLine(PalisadeOptions options)
    {
        var blocking = options.Blocking;
        return $"blocking: {Count(blocking.Lists.Count, "list")}, {Count(blocking.AllowLists.Count, "allow list")}, "
            + $"{Count(blocking.Allow.Count + blocking.Deny.Count, "inline rule")}; response {blocking.Response}, "
            + $"TTL {ValueParsers.FormatDuration(blocking.BlockedTtl)}, CNAME inspection {(blocking.CnameInspection ? "on" : "off")}, "
            + $"refresh {ValueParsers.FormatDuration(blocking.RefreshInterval)}, cache {options.BlocklistCacheDir}";
    }

    private static string RateLimitLine(RateLimitOptions rateLimit) =>
        rateLimit.Enabled
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"rateLimit: {rateLimit.QueriesPerSecond} queries/s per client over UDP, burst {rateLimit.Burst}; clients by IPv4 /{rateLimit.IPv4Prefix} and IPv6 /{rateLimit.IPv6Prefix}")
            : "rateLimit: off";

    private static string SecurityLine(SecurityOptions security) =>
        !security.RebindingProtection ? "security: rebinding protection off"
        : security.RebindingAllow.Count == 0 ? "security: rebinding protection on"
        : $"security: rebinding protection on, except under {string.Join(", ", security.RebindingAllow)}";

    private static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");
}
