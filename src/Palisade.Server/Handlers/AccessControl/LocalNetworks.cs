using System.Net;
using System.Net.Sockets;

namespace Palisade.Server.Handlers.AccessControl;

/// <summary>
/// Turns interface addresses with their prefix lengths (<c>2001:db8:1::53/64</c>) into the networks they are on
/// (<c>2001:db8:1::/64</c>), as Pi-hole's "allow only local requests" does: what is one hop away may query.
/// </summary>
public static class LocalNetworks
{
    /// <summary>
    /// The networks of <paramref name="addresses"/>, without repeats, IPv6 first. Left out: loopback, link-local,
    /// multicast and unspecified addresses (the defaults already cover the first two), and prefixes wider than an IPv4
    /// /8 or an IPv6 /32, which no directly connected network has and which would let half the internet in.
    /// </summary>
    public static IReadOnlyList<IPNetwork> From(IEnumerable<(IPAddress Address, int PrefixLength)> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var networks = new List<IPNetwork>();
        foreach (var (address, prefixLength) in addresses)
        {
            if (TryGetNetwork(address, prefixLength, out var network) && !networks.Contains(network))
            {
                networks.Add(network);
            }
        }

        networks.Sort(Compare);
        return networks;
    }

    /// <summary>The network <paramref name="address"/> is on, with its host bits cleared; false for those left out.</summary>
    public static bool TryGetNetwork(IPAddress address, int prefixLength, out IPNetwork network)
    {
        ArgumentNullException.ThrowIfNull(address);
        network = default;
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6) ||
            IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6Multicast || address.IsIPv4MappedToIPv6 ||
            prefixLength < (v6 ? 32 : 8) || prefixLength > (v6 ? 128 : 32))
        {
            return false;
        }

        byte[] bytes = address.GetAddressBytes();
        if (v6 ? bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0
            : bytes[0] == 0 || bytes[0] >= 224 || (bytes[0] == 169 && bytes[1] == 254))
        {
            return false;
        }

        for (int bit = prefixLength; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        network = new IPNetwork(new IPAddress(bytes), prefixLength);
        return true;
    }

    private static int Compare(IPNetwork left, IPNetwork right)
    {
        if (left.BaseAddress.AddressFamily != right.BaseAddress.AddressFamily)
        {
            return left.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? -1 : 1;
        }

        int order = left.BaseAddress.GetAddressBytes().AsSpan().SequenceCompareTo(right.BaseAddress.GetAddressBytes());
        return order != 0 ? order : left.PrefixLength.CompareTo(right.PrefixLength);
    }
}
