using System.Net;

namespace Palisade.Server.Configuration;

/// <summary>
/// Everything the server is configured with, after the YAML file, environment variables (<c>PALISADE__CACHE__MAXSIZE</c>)
/// and command-line options have been applied in that order and validated. Immutable: a reload builds a new one.
/// </summary>
public sealed record PalisadeOptions
{
    /// <summary><c>listen</c>: where to serve UDP and TCP. Default <c>0.0.0.0:53</c> and <c>[::]:53</c>.</summary>
    public IReadOnlyList<IPEndPoint> Listen { get; init; } =
        [new IPEndPoint(IPAddress.Any, 53), new IPEndPoint(IPAddress.IPv6Any, 53)];

    /// <summary><c>upstreams</c>: where to forward. Default Quad9, <c>9.9.9.9</c> (UDP with TCP fallback).</summary>
    public IReadOnlyList<UpstreamOptions> Upstreams { get; init; } =
        [new UpstreamOptions(UpstreamProtocol.Udp, new IPEndPoint(IPAddress.Parse("9.9.9.9"), 53))];

    /// <summary><c>upstreamStrategy</c>: how an upstream is chosen. Default <see cref="UpstreamStrategy.Fastest"/>.</summary>
    public UpstreamStrategy UpstreamStrategy { get; init; } = UpstreamStrategy.Fastest;

    /// <summary><c>upstreamTimeout</c>: how long a query may wait for the upstreams in all. Default 5 s.</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>access.*</c>: who may query.</summary>
    public AccessOptions Access { get; init; } = new();

    /// <summary><c>cache.*</c>.</summary>
    public CacheOptions Cache { get; init; } = new();

    /// <summary><c>log.*</c>.</summary>
    public LogOptions Log { get; init; } = new();

    /// <summary>
    /// <c>dataDir</c>: where Palisade keeps what it downloads or learns (the blocklist cache, by default). Relative paths
    /// are relative to the working directory. Default <c>./data</c>.
    /// </summary>
    public string DataDir { get; init; } = "./data";

    /// <summary><c>blocking.*</c>.</summary>
    public BlockingOptions Blocking { get; init; } = new();

    /// <summary>Where downloaded blocklists are kept: <c>blocking.cacheDir</c>, or <c>lists</c> under <see cref="DataDir"/>.</summary>
    public string BlocklistCacheDir => Blocking.GetCacheDir(DataDir);
}

/// <summary>One upstream resolver.</summary>
/// <param name="Protocol">How to reach it.</param>
/// <param name="EndPoint">Its address and port.</param>
public sealed record UpstreamOptions(UpstreamProtocol Protocol, IPEndPoint EndPoint)
{
    /// <summary>As written in the config: <c>udp://192.0.2.1:53</c>.</summary>
    public override string ToString() =>
        $"{(Protocol == UpstreamProtocol.Tcp ? "tcp" : "udp")}://{EndPoint}";
}

/// <summary>The transport of an upstream.</summary>
public enum UpstreamProtocol
{
    /// <summary>UDP, retried over TCP when the answer is truncated (<c>udp://</c> or a bare IP).</summary>
    Udp,

    /// <summary>TCP only (<c>tcp://</c>).</summary>
    Tcp,
}

/// <summary><c>upstreamStrategy</c>.</summary>
public enum UpstreamStrategy
{
    /// <summary>The healthy upstream with the lowest smoothed latency; the next one on failure.</summary>
    Fastest,

    /// <summary>Ask every upstream at once; the first good answer wins.</summary>
    Parallel,

    /// <summary>Take turns; the next one on failure.</summary>
    RoundRobin,
}

/// <summary><c>cache.*</c>: the response cache.</summary>
public sealed record CacheOptions
{
    /// <summary><c>cache.maxSize</c>: bytes the cache may hold, counted as real bytes. Default 200 MB; 0 turns the cache off.</summary>
    public long MaxSize { get; init; } = 200L * 1000 * 1000;

    /// <summary><c>cache.minTtl</c>: stored TTLs are raised to at least this. Default 0 s.</summary>
    public TimeSpan MinTtl { get; init; } = TimeSpan.Zero;

    /// <summary><c>cache.maxTtl</c>: stored TTLs are lowered to at most this. Default 1 day.</summary>
    public TimeSpan MaxTtl { get; init; } = TimeSpan.FromDays(1);

    /// <summary><c>cache.negativeMaxTtl</c>: the longest a negative answer (NXDOMAIN, NODATA) is kept (RFC 2308). Default 1 h.</summary>
    public TimeSpan NegativeMaxTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>cache.serveStale</c>: answer from an expired entry when the upstreams fail (RFC 8767). Default true.</summary>
    public bool ServeStale { get; init; } = true;

    /// <summary><c>cache.staleMaxAge</c>: how long past expiry an entry may still be served stale. Default 1 day.</summary>
    public TimeSpan StaleMaxAge { get; init; } = TimeSpan.FromDays(1);

    /// <summary><c>cache.prefetch</c>: refresh popular entries shortly before they expire. Default true.</summary>
    public bool Prefetch { get; init; } = true;
}

/// <summary><c>log.*</c>.</summary>
public sealed record LogOptions
{
    /// <summary><c>log.level</c>: <c>debug</c>, <c>info</c>, <c>warning</c> or <c>error</c>. Default info.</summary>
    public LogLevelOption Level { get; init; } = LogLevelOption.Info;
}

/// <summary>The values of <c>log.level</c>.</summary>
public enum LogLevelOption
{
    Debug,
    Info,
    Warning,
    Error,
}
