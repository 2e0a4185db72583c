using System.Net;
using System.Net.Sockets;

namespace Palisade.Protocol;

/// <summary>Record data that is one IP address: A (4 octets) and AAAA (16 octets).</summary>
public abstract class AddressRecordData : DnsRecordData
{
    private protected AddressRecordData(IPAddress address, AddressFamily family)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != family)
        {
            throw new ArgumentException($"{GetType().Name} holds an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address.", nameof(address));
        }

        Address = address;
    }

    public IPAddress Address { get; }

    public override string ToString() => Address.ToString();

    /// <summary>Reads the address, which must fill RDATA exactly.</summary>
    private protected static IPAddress ReadAddress(ref DnsMessageReader reader, int length, int size, DnsRecordType type)
    {
        if (length != size)
        {
            ThrowHelper.ThrowRead(DnsReadError.BadRecordLength, reader.Position, $"{type} data is {size} octets, not {length}");
        }

        return new IPAddress(reader.ReadBytes(size));
    }

    internal override void WriteTo(ref DnsMessageWriter writer)
    {
        Span<byte> octets = stackalloc byte[16];
        Address.TryWriteBytes(octets, out int written);
        writer.WriteBytes(octets[..written]);
    }
}
