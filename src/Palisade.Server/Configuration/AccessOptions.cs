using System.Net;

namespace Palisade.Server.Configuration;

/// <summary>
/// <c>access.*</c>: who may query. By default only this machine and private networks may, so Palisade is never an open
/// resolver unless its owner says so (e.g. <c>allow: ["0.0.0.0/0", "::/0"]</c>).
/// </summary>
public sealed record AccessOptions
{
    /// <summary>The networks of a home or office: loopback, RFC 1918, CGNAT (RFC 6598), IPv6 ULA (RFC 4193) and link-local.</summary>
    public static IReadOnlyList<IPNetwork> PrivateNetworks { get; } =
    [
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
    ];

    /// <summary>
    /// <c>access.allow</c>: networks (CIDR) whose clients may query. Default <see cref="PrivateNetworks"/> and the networks
    /// of this machine's own interfaces (<see cref="IsDefaultAllow"/>), so that a home network numbered from the ISP's
    /// IPv6 prefix is served as its private addresses are.
    /// </summary>
    public IReadOnlyList<IPNetwork> Allow { get; init; } = PrivateNetworks;

    /// <summary>
    /// Whether <see cref="Allow"/> is the default, not written in the configuration: only then are this machine's own
    /// networks added to it (a list that is written is used as written, even one equal to the default).
    /// </summary>
    public bool IsDefaultAllow => ReferenceEquals(Allow, PrivateNetworks);

    /// <summary><c>access.action</c>: what others get. Default <see cref="AccessAction.Refuse"/>.</summary>
    public AccessAction Action { get; init; } = AccessAction.Refuse;

    public bool Equals(AccessOptions? other) =>
        other is not null && Action == other.Action && IsDefaultAllow == other.IsDefaultAllow && Allow.SequenceEqual(other.Allow);

    public override int GetHashCode() => HashCode.Combine(Action, Allow.Count);
}

/// <summary>The values of <c>access.action</c>.</summary>
public enum AccessAction
{
    /// <summary>Answer REFUSED (RFC 1035 s4.1.1), with Extended DNS Error 18, Prohibited.</summary>
    Refuse,

    /// <summary>Send nothing at all.</summary>
    Drop,
}
