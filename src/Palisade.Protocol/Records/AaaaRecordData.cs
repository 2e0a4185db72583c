using System.Net;
using System.Net.Sockets;

namespace Palisade.Protocol;

/// <summary>An IPv6 address (RFC 3596 s2.2).</summary>
public sealed class AaaaRecordData(IPAddress address) : AddressRecordData(address, AddressFamily.InterNetworkV6)
{
    public override DnsRecordType Type => DnsRecordType.AAAA;

    internal static AaaaRecordData Read(ref DnsMessageReader reader, int length) =>
        new(ReadAddress(ref reader, length, 16, DnsRecordType.AAAA));
}
