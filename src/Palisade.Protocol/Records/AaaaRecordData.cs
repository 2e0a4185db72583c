using System.Net;
using System.Net.Sockets;

namespace Palisade.Protocol;

/// <summary>An IPv6 address (RFC 3596 s2.2).</summary>
public sealed class AaaaRecordData : DnsRecordData
{
    public AaaaRecordData(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException("An AAAA record holds an IPv6 address.", nameof(address));
        }

        Address = address;
    }

    public IPAddress Address { get; }

    public override DnsRecordType Type => DnsRecordType.AAAA;

    public override string ToString() => Address.ToString();

    internal static AaaaRecordData Read(ref DnsMessageReader reader, int length)
    {
        if (length != 16)
        {
            ThrowHelper.ThrowRead(DnsReadError.BadRecordLength, reader.Position, $"AAAA data is 16 octets, not {length}");
        }

        return new AaaaRecordData(new IPAddress(reader.ReadBytes(16)));
    }

    internal override void WriteTo(ref DnsMessageWriter writer)
    {
        Span<byte> octets = stackalloc byte[16];
        Address.TryWriteBytes(octets, out _);
        writer.WriteBytes(octets);
    }
}
