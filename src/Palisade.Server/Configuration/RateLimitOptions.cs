using System.Globalization;

namespace Palisade.Server.Configuration;

/// <summary>
/// <c>rateLimit.*</c>: how many queries a second each client may send over UDP, so that Palisade cannot be used to flood
/// someone with answers to queries sent from a forged address (the reflection that response rate limiting answers).
/// Clients are counted per network prefix. Past the limit a query is dropped, except every second one, which gets an
/// empty answer with TC set, so that a real client asks again over TCP (the "slip").
/// </summary>
public sealed record RateLimitOptions
{
    /// <summary>The largest <see cref="QueriesPerSecond"/> and <see cref="Burst"/>: past it a limit limits nothing.</summary>
    public const int MaxRate = 1_000_000;

    /// <summary>
    /// <c>rateLimit.queriesPerSecond</c>: queries a second each client (prefix) may send over UDP, on average.
    /// Default 300; 0 turns rate limiting off (the handler is then left out of the chain).
    /// </summary>
    public int QueriesPerSecond { get; init; } = 300;

    /// <summary>
    /// <c>rateLimit.burst</c>: queries a client may send at once, after a quiet spell, before the average applies: the
    /// size of its token bucket. Default 600, two seconds at the default rate: a page load or a phone waking up sends
    /// dozens of queries at once and must not be held to the average.
    /// </summary>
    public int Burst { get; init; } = 600;

    /// <summary><c>rateLimit.ipv4Prefix</c>: IPv4 clients are counted per network of this length. Default 32, one address.</summary>
    public int IPv4Prefix { get; init; } = 32;

    /// <summary>
    /// <c>rateLimit.ipv6Prefix</c>: IPv6 clients are counted per network of this length. Default 64, the network one
    /// home or one phone gets: a client can take any address in its /64, so counting per address would limit nothing.
    /// </summary>
    public int IPv6Prefix { get; init; } = 64;

    /// <summary>Whether rate limiting is on.</summary>
    public bool Enabled => QueriesPerSecond > 0;

    internal static string? CheckQueriesPerSecond(int value) =>
        value is >= 0 and <= MaxRate ? null : string.Create(CultureInfo.InvariantCulture, $"must be from 0 (off) to {MaxRate}");

    internal static string? CheckBurst(int value) =>
        value is >= 1 and <= MaxRate ? null : string.Create(CultureInfo.InvariantCulture, $"must be from 1 to {MaxRate}");

    internal static string? CheckIPv4Prefix(int value) => value is >= 0 and <= 32 ? null : "must be a prefix length from 0 to 32";

    internal static string? CheckIPv6Prefix(int value) => value is >= 0 and <= 128 ? null : "must be a prefix length from 0 to 128";
}
