namespace Palisade.Protocol;

/// <summary>Service parameter keys of SVCB and HTTPS records (RFC 9460 s14.3.2).</summary>
public enum SvcParamKey : ushort
{
    Mandatory = 0,
    Alpn = 1,
    NoDefaultAlpn = 2,
    Port = 3,
    Ipv4Hint = 4,
    Ech = 5,
    Ipv6Hint = 6,
}
