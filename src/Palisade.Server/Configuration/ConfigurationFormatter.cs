namespace Palisade.Server.Configuration;

/// <summary>The effective configuration in a few lines, for the startup log.</summary>
public static class ConfigurationFormatter
{
    /// <summary>
    /// E.g. <c>listen: 0.0.0.0:53, [::]:53</c>, <c>upstreams: udp://9.9.9.9:53 (fastest, timeout 5s)</c>,
    /// <c>cache: 200MB, TTL 0s..1d, negative up to 1h, serve stale up to 1d, prefetch on</c>, <c>log: info</c>.
    /// </summary>
    public static IReadOnlyList<string> ToDisplayLines(PalisadeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cache = options.Cache;
        return
        [
            $"listen: {string.Join(", ", options.Listen)}",
            $"upstreams: {string.Join(", ", options.Upstreams)} ({ValueParsers.EnumName(options.UpstreamStrategy)}, timeout {ValueParsers.FormatDuration(options.UpstreamTimeout)})",
            cache.MaxSize == 0
                ? "cache: off"
                : $"cache: {ValueParsers.FormatSize(cache.MaxSize)}, TTL {ValueParsers.FormatDuration(cache.MinTtl)}..{ValueParsers.FormatDuration(cache.MaxTtl)}, "
                    + $"negative up to {ValueParsers.FormatDuration(cache.NegativeMaxTtl)}, "
                    + (cache.ServeStale ? $"serve stale up to {ValueParsers.FormatDuration(cache.StaleMaxAge)}" : "serve stale off")
                    + $", prefetch {(cache.Prefetch ? "on" : "off")}",
            $"access: {string.Join(", ", options.Access.Allow)} may query; others {(options.Access.Action == AccessAction.Refuse ? "refused" : "dropped")}",
            $"log: {ValueParsers.EnumName(options.Log.Level)}",
        ];
    }
}
