namespace Palisade.Protocol;

/// <summary>Sizes fixed by the protocol.</summary>
public static class DnsConstants
{
    /// <summary>The fixed header: ID, flags and four counts (RFC 1035 s4.1.1).</summary>
    public const int HeaderSize = 12;

    /// <summary>Longest label (RFC 1035 s2.3.4).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>Longest name in wire form, length octets and the root included (RFC 1035 s2.3.4).</summary>
    public const int MaxNameLength = 255;

    /// <summary>The UDP payload size a client without EDNS can take (RFC 1035 s4.2.1).</summary>
    public const int ClassicUdpPayloadSize = 512;

    /// <summary>The EDNS payload size we advertise: the DNS Flag Day 2020 value, safe from fragmentation.</summary>
    public const int AdvertisedUdpPayloadSize = 1232;

    /// <summary>Largest DNS message of any transport: TCP's two-octet length prefix (RFC 1035 s4.2.2).</summary>
    public const int MaxMessageSize = 65535;

    /// <summary>
    /// Most compression pointers followed for one name. A 255-octet name has at most 127 labels and a pointer
    /// that leads anywhere useful must come after at least one label or be the first octet, so more is a loop.
    /// </summary>
    public const int MaxPointerHops = 127;
}
