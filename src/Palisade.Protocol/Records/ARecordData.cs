using System.Net;
using System.Net.Sockets;

namespace Palisade.Protocol;

/// <summary>An IPv4 address (RFC 1035 s3.4.1).</summary>
public sealed class ARecordData(IPAddress address) : AddressRecordData(address, AddressFamily.InterNetwork)
{
    public override DnsRecordType Type => DnsRecordType.A;

    internal static ARecordData Read(ref DnsMessageReader reader, int length) =>
        new(ReadAddress(ref reader, length, 4, DnsRecordType.A));
}
