namespace Palisade.Protocol;

/// <summary>The four-bit OPCODE of the header (RFC 1035 s4.1.1, IANA "DNS OpCodes").</summary>
public enum DnsOpcode : byte
{
    Query = 0,
    InverseQuery = 1,
    Status = 2,
    Notify = 4,
    Update = 5,
    StatefulOperations = 6,
}
