namespace Palisade.Server.Handlers.Rebinding;

/// <summary>
/// The addresses an answer from the internet has no business pointing a name at, checked on the address octets as they
/// stand in a message, without making an <see cref="System.Net.IPAddress"/>: private (RFC 1918, RFC 4193), shared
/// (RFC 6598), loopback, link-local and unspecified, and the IPv4 ones mapped into IPv6 (RFC 4291 s2.5.5.2).
/// </summary>
public static class PrivateAddresses
{
    /// <summary>
    /// 0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16.
    /// </summary>
    /// <param name="address">The four octets of an A record's data.</param>
    public static bool IsPrivateIPv4(ReadOnlySpan<byte> address)
    {
        if (address.Length != 4)
        {
            return false;
        }

        byte first = address[0];
        byte second = address[1];
        return first switch
        {
            0 or 10 or 127 => true,
            100 => (second & 0xC0) == 64,
            169 => second == 254,
            172 => (second & 0xF0) == 16,
            192 => second == 168,
            _ => false,
        };
    }

    /// <summary>::, ::1, fc00::/7, fe80::/10, and ::ffff:0:0/96 holding a private IPv4 address.</summary>
    /// <param name="address">The sixteen octets of an AAAA record's data.</param>
    public static bool IsPrivateIPv6(ReadOnlySpan<byte> address)
    {
        if (address.Length != 16)
        {
            return false;
        }

        byte first = address[0];
        if ((first & 0xFE) == 0xFC || (first == 0xFE && (address[1] & 0xC0) == 0x80))
        {
            return true;
        }

        if (first != 0 || address[1..10].ContainsAnyExcept((byte)0))
        {
            return false;
        }

        // The first ten octets are zero: the unspecified address, loopback, or an IPv4-mapped address.
        if (address[10] == 0xFF && address[11] == 0xFF)
        {
            return IsPrivateIPv4(address[12..]);
        }

        return address[10..15].IndexOfAnyExcept((byte)0) < 0 && address[15] <= 1;
    }
}
