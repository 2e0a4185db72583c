using System.Net;

namespace Palisade.Server.Configuration;

/// <summary>How a blocked query is answered: <c>blocking.response</c>.</summary>
public enum BlockingResponseMode
{
    /// <summary><c>nullIp</c>: A queries get <c>0.0.0.0</c>, AAAA queries <c>::</c>, other types an empty answer.</summary>
    NullIp,

    /// <summary><c>nxdomain</c>: the name does not exist.</summary>
    NxDomain,

    /// <summary><c>refused</c>: the server refuses to answer.</summary>
    Refused,

    /// <summary><c>{ ipv4: ADDR, ipv6: ADDR }</c>: A and AAAA queries get the given addresses (a block page, say).</summary>
    CustomIp,
}

/// <summary><c>blocking.response</c>: how a blocked query is answered.</summary>
/// <param name="Mode">The kind of answer.</param>
/// <param name="IPv4">
/// For <see cref="BlockingResponseMode.CustomIp"/>: the IPv4 address A queries get; null when not given, in which case A
/// queries are answered as with <see cref="BlockingResponseMode.NullIp"/>. Always null for the other modes.
/// </param>
/// <param name="IPv6">
/// For <see cref="BlockingResponseMode.CustomIp"/>: the IPv6 address AAAA queries get; null when not given, in which
/// case AAAA queries are answered as with <see cref="BlockingResponseMode.NullIp"/>. Always null for the other modes.
/// </param>
public sealed record BlockingResponseOptions(BlockingResponseMode Mode, IPAddress? IPv4 = null, IPAddress? IPv6 = null)
{
    /// <summary>The default: <c>nullIp</c>.</summary>
    public static BlockingResponseOptions NullIp { get; } = new(BlockingResponseMode.NullIp);

    /// <summary><c>nxdomain</c>.</summary>
    public static BlockingResponseOptions NxDomain { get; } = new(BlockingResponseMode.NxDomain);

    /// <summary><c>refused</c>.</summary>
    public static BlockingResponseOptions Refused { get; } = new(BlockingResponseMode.Refused);

    /// <summary>As written in the configuration: <c>nullIp</c>, <c>nxdomain</c>, <c>refused</c> or <c>{ ipv4: 192.0.2.1, ipv6: :: }</c>.</summary>
    public override string ToString() => Mode switch
    {
        BlockingResponseMode.NullIp => "nullIp",
        BlockingResponseMode.NxDomain => "nxdomain",
        BlockingResponseMode.Refused => "refused",
        _ => "{ " + string.Join(", ", new[] { IPv4 is null ? null : $"ipv4: {IPv4}", IPv6 is null ? null : $"ipv6: {IPv6}" }.OfType<string>()) + " }",
    };
}
