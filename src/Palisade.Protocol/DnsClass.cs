namespace Palisade.Protocol;

/// <summary>Record classes (RFC 1035 s3.2.4, RFC 2136). Any 16-bit value may appear on the wire.</summary>
public enum DnsClass : ushort
{
    IN = 1,
    CH = 3,
    HS = 4,
    None = 254,
    Any = 255,
}
