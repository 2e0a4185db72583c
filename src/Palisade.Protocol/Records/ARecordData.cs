using System.Net;
using System.Net.Sockets;

namespace Palisade.Protocol;

/// <summary>An IPv4 address (RFC 1035 s3.4.1).</summary>
public sealed class ARecordData : DnsRecordData
{
    public ARecordData(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("An A record holds an IPv4 address.", nameof(address));
        }

        Address = address;
    }

    public IPAddress Address { get; }

    public override DnsRecordType Type => DnsRecordType.A;

    public override string ToString() => Address.ToString();

    internal static ARecordData Read(ref DnsMessageReader reader, int length)
    {
        if (length != 4)
        {
            ThrowHelper.ThrowRead(DnsReadError.BadRecordLength, reader.Position, $"A data is 4 octets, not {length}");
        }

        return new ARecordData(new IPAddress(reader.ReadBytes(4)));
    }

    internal override void WriteTo(ref DnsMessageWriter writer)
    {
        Span<byte> octets = stackalloc byte[4];
        Address.TryWriteBytes(octets, out _);
        writer.WriteBytes(octets);
    }
}
