namespace Palisade.Server.Configuration;

/// <summary><c>security.*</c>: protections of the network behind Palisade.</summary>
public sealed record SecurityOptions
{
    /// <summary>
    /// <c>security.rebindingProtection</c>: an upstream answer that points a name at a private, loopback, link-local or
    /// unspecified address (A, AAAA, or the address hints of HTTPS and SVCB records) is not passed on, so that a web page
    /// cannot reach the devices of the home network through a name of its own (DNS rebinding). Default true.
    /// </summary>
    public bool RebindingProtection { get; init; } = true;

    /// <summary>
    /// <c>security.rebindingAllow</c>: names, with their subdomains, whose answers may hold private addresses (a home
    /// domain served by the router, a VPN's names). Lower case, in punycode, without the trailing dot. Default none.
    /// </summary>
    public IReadOnlyList<string> RebindingAllow { get; init; } = [];

    public bool Equals(SecurityOptions? other) =>
        other is not null && RebindingProtection == other.RebindingProtection && RebindingAllow.SequenceEqual(other.RebindingAllow);

    public override int GetHashCode() => HashCode.Combine(RebindingProtection, RebindingAllow.Count);
}
