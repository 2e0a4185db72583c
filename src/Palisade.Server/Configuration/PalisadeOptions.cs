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

    /// <summary>
    /// <c>upstreams</c>: where to forward. Default Quad9, encrypted, so that nothing leaves the machine in plain text:
    /// <c>tls://9.9.9.9#dns.quad9.net</c>, <c>tls://149.112.112.112#dns.quad9.net</c> and
    /// <c>https://dns.quad9.net/dns-query</c>.
    /// </summary>
    public IReadOnlyList<UpstreamOptions> Upstreams { get; init; } = DefaultUpstreams;

    /// <summary>
    /// <c>bootstrap</c>: plain DNS servers (IP, port 53 unless given) used only to look up the address of an upstream
    /// written as a host name. Default Quad9, <c>9.9.9.9</c> and <c>149.112.112.112</c>.
    /// </summary>
    public IReadOnlyList<IPEndPoint> Bootstrap { get; init; } =
        [new IPEndPoint(IPAddress.Parse("9.9.9.9"), 53), new IPEndPoint(IPAddress.Parse("149.112.112.112"), 53)];

    /// <summary><c>upstreamStrategy</c>: how an upstream is chosen. Default <see cref="UpstreamStrategy.Fastest"/>.</summary>
    public UpstreamStrategy UpstreamStrategy { get; init; } = UpstreamStrategy.Fastest;

    /// <summary>
    /// <c>upstreamTimeout</c>: how long a query may wait for the upstreams in all. Default 3 s: shorter than the 5 s a
    /// stub (dig, glibc) waits, so that when the upstreams fail a client gets SERVFAIL (or a stale answer) rather than a timeout.
    /// </summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary><c>tlsListen</c>: where to serve DNS over TLS (RFC 7858), e.g. <c>0.0.0.0:853</c>. Default none.</summary>
    public IReadOnlyList<IPEndPoint> TlsListen { get; init; } = [];

    /// <summary><c>httpsListen</c>: where to serve DNS over HTTPS (RFC 8484) at <c>/dns-query</c>, e.g. <c>0.0.0.0:443</c>. Default none.</summary>
    public IReadOnlyList<IPEndPoint> HttpsListen { get; init; } = [];

    /// <summary><c>tls.*</c>: the certificate served on <see cref="TlsListen"/> and <see cref="HttpsListen"/>.</summary>
    public TlsOptions Tls { get; init; } = new();

    /// <summary><c>access.*</c>: who may query.</summary>
    public AccessOptions Access { get; init; } = new();

    /// <summary><c>rateLimit.*</c>: how many queries a second each client may send over UDP.</summary>
    public RateLimitOptions RateLimit { get; init; } = new();

    private static readonly IReadOnlyList<UpstreamOptions> DefaultUpstreams =
    [
        new(UpstreamProtocol.Tls, new IPEndPoint(IPAddress.Parse("9.9.9.9"), 853)) { TlsName = "dns.quad9.net" },
        new(UpstreamProtocol.Tls, new IPEndPoint(IPAddress.Parse("149.112.112.112"), 853)) { TlsName = "dns.quad9.net" },
        new(UpstreamProtocol.Https, null) { HostName = "dns.quad9.net", Port = 443, TlsName = "dns.quad9.net", Path = "/dns-query" },
    ];

    /// <summary><c>cache.*</c>.</summary>
    public CacheOptions Cache { get; init; } = new();

    /// <summary><c>log.*</c>.</summary>
    public LogOptions Log { get; init; } = new();

    /// <summary>
    /// <c>dataDir</c>: where Palisade keeps what it downloads or learns (the blocklist cache, by default). Default
    /// <c>./data</c>: beside the configuration file when there is one, else in the working directory. A relative path in
    /// the file is relative to the file's folder; from the environment, to the working directory (see ConfigPaths).
    /// </summary>
    public string DataDir { get; init; } = "./data";

    /// <summary><c>blocking.*</c>.</summary>
    public BlockingOptions Blocking { get; init; } = new();

    /// <summary><c>security.*</c>.</summary>
    public SecurityOptions Security { get; init; } = new();

    /// <summary>Where downloaded blocklists are kept: <c>blocking.cacheDir</c>, or <c>lists</c> under <see cref="DataDir"/>.</summary>
    public string BlocklistCacheDir => Blocking.GetCacheDir(DataDir);

    /// <summary>Equal settings, lists compared item by item. A new property must be added here too, and to <see cref="ConfigurationChanges.Compare"/>.</summary>
    public bool Equals(PalisadeOptions? other) =>
        other is not null &&
        Listen.SequenceEqual(other.Listen) &&
        Upstreams.SequenceEqual(other.Upstreams) &&
        Bootstrap.SequenceEqual(other.Bootstrap) &&
        TlsListen.SequenceEqual(other.TlsListen) &&
        HttpsListen.SequenceEqual(other.HttpsListen) &&
        UpstreamStrategy == other.UpstreamStrategy &&
        UpstreamTimeout == other.UpstreamTimeout &&
        Tls == other.Tls &&
        Access == other.Access &&
        RateLimit == other.RateLimit &&
        Cache == other.Cache &&
        Log == other.Log &&
        DataDir == other.DataDir &&
        Blocking == other.Blocking &&
        Security == other.Security;

    public override int GetHashCode() => HashCode.Combine(Listen.Count, Upstreams.Count, UpstreamStrategy, UpstreamTimeout, Cache, DataDir);
}

/// <summary><c>tls.*</c>: the certificate for serving DNS over TLS and HTTPS, as PEM files, read again when they change.</summary>
public sealed record TlsOptions
{
    /// <summary><c>tls.certificate</c>: the certificate, then any intermediates, in PEM. Default none.</summary>
    public string? Certificate { get; init; }

    /// <summary><c>tls.privateKey</c>: its private key in PEM (PKCS#8, RSA or EC). Default none.</summary>
    public string? PrivateKey { get; init; }
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
