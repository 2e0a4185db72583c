namespace Palisade.Server.Configuration;

/// <summary><c>blocking.*</c>: which names are blocked, and how a blocked query is answered.</summary>
public sealed record BlockingOptions
{
    /// <summary>The StevenBlack unified hosts list.</summary>
    public const string StevenBlackUnifiedUrl = "https://raw.githubusercontent.com/StevenBlack/hosts/master/hosts";

    /// <summary>HaGeZi's Pro list, in adblock format.</summary>
    public const string HaGeZiProUrl = "https://raw.githubusercontent.com/hagezi/dns-blocklists/main/adblock/pro.txt";

    /// <summary>The default <see cref="Lists"/>: <see cref="StevenBlackUnifiedUrl"/> and <see cref="HaGeZiProUrl"/>.</summary>
    public static IReadOnlyList<BlocklistSourceOptions> DefaultLists { get; } =
    [
        BlocklistSourceOptions.FromSource(StevenBlackUnifiedUrl),
        BlocklistSourceOptions.FromSource(HaGeZiProUrl),
    ];

    /// <summary>
    /// <c>blocking.lists</c>: the blocklists, URLs or local files in hosts, plain-domain or adblock format. Default
    /// <see cref="DefaultLists"/>; empty turns list blocking off (<see cref="Deny"/> still applies).
    /// </summary>
    public IReadOnlyList<BlocklistSourceOptions> Lists { get; init; } = DefaultLists;

    /// <summary><c>blocking.allowLists</c>: lists whose entries are never blocked. Default none.</summary>
    public IReadOnlyList<BlocklistSourceOptions> AllowLists { get; init; } = [];

    /// <summary>
    /// <c>blocking.allow</c>: names (or adblock rules) that are never blocked, checked only lightly here (no whitespace,
    /// at most 1,024 characters); the list parser reads them. Default none.
    /// </summary>
    public IReadOnlyList<string> Allow { get; init; } = [];

    /// <summary><c>blocking.deny</c>: names (or adblock rules) to block besides the lists, checked as lightly as <see cref="Allow"/>. Default none.</summary>
    public IReadOnlyList<string> Deny { get; init; } = [];

    /// <summary>
    /// The line of each <see cref="Allow"/> entry in the config file (0 where unknown: an environment variable), so
    /// that <c>palisade check</c> cites the file's line. Not part of equality: moving a line changes no rule.
    /// </summary>
    public IReadOnlyList<int> AllowLines { get; init; } = [];

    /// <summary>The line of each <see cref="Deny"/> entry in the config file, as <see cref="AllowLines"/>.</summary>
    public IReadOnlyList<int> DenyLines { get; init; } = [];

    /// <summary><c>blocking.refreshInterval</c>: how often remote lists are downloaded again. Default 24 h.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// <c>blocking.cacheDir</c>: where downloaded lists are kept. Default null, meaning <c>lists</c> under
    /// <see cref="PalisadeOptions.DataDir"/>: see <see cref="GetCacheDir"/> and <see cref="PalisadeOptions.BlocklistCacheDir"/>.
    /// </summary>
    public string? CacheDir { get; init; }

    /// <summary><c>blocking.response</c>: how a blocked query is answered. Default <see cref="BlockingResponseOptions.NullIp"/>.</summary>
    public BlockingResponseOptions Response { get; init; } = BlockingResponseOptions.NullIp;

    /// <summary><c>blocking.blockedTtl</c>: the TTL of a blocked answer, in whole seconds. Default 10 s.</summary>
    public TimeSpan BlockedTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>blocking.cnameInspection</c>: also block an answer whose CNAME chain passes through a blocked name. Default true.
    /// </summary>
    public bool CnameInspection { get; init; } = true;

    /// <summary>Where downloaded lists are kept: <see cref="CacheDir"/>, or <c>lists</c> under <paramref name="dataDir"/> when it is not set.</summary>
    public string GetCacheDir(string dataDir)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        return CacheDir ?? Path.Combine(dataDir, "lists");
    }

    public bool Equals(BlockingOptions? other) =>
        other is not null
        && Lists.SequenceEqual(other.Lists)
        && AllowLists.SequenceEqual(other.AllowLists)
        && Allow.SequenceEqual(other.Allow, StringComparer.Ordinal)
        && Deny.SequenceEqual(other.Deny, StringComparer.Ordinal)
        && RefreshInterval == other.RefreshInterval
        && string.Equals(CacheDir, other.CacheDir, StringComparison.Ordinal)
        && Response == other.Response
        && BlockedTtl == other.BlockedTtl
        && CnameInspection == other.CnameInspection;

    public override int GetHashCode() =>
        HashCode.Combine(Lists.Count, AllowLists.Count, Allow.Count, Deny.Count, RefreshInterval, CacheDir, Response, HashCode.Combine(BlockedTtl, CnameInspection));
}
