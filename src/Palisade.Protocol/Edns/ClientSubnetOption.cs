using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Protocol;

/// <summary>
/// EDNS Client Subnet (RFC 7871 s6): the network a query came from, as an address truncated to
/// <see cref="SourcePrefixLength"/> bits, and the scope the answer applies to.
/// </summary>
public sealed class ClientSubnetOption : EdnsOption
{
    public ClientSubnetOption(IPAddress address, byte sourcePrefixLength, byte scopePrefixLength = 0)
    {
        ArgumentNullException.ThrowIfNull(address);
        int maxBits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (sourcePrefixLength > maxBits || scopePrefixLength > maxBits)
        {
            throw new ArgumentOutOfRangeException(nameof(sourcePrefixLength), $"A prefix of this family is at most {maxBits} bits.");
        }

        Address = Truncate(address, sourcePrefixLength);
        SourcePrefixLength = sourcePrefixLength;
        ScopePrefixLength = scopePrefixLength;
    }

    /// <summary>The address, with every bit past the source prefix cleared.</summary>
    public IPAddress Address { get; }

    /// <summary>1 for IPv4, 2 for IPv6 (IANA address family numbers).</summary>
    public ushort Family => Address.AddressFamily == AddressFamily.InterNetwork ? (ushort)1 : (ushort)2;

    public byte SourcePrefixLength { get; }

    public byte ScopePrefixLength { get; }

    public override EdnsOptionCode Code => EdnsOptionCode.ClientSubnet;

    public override int DataLength => 4 + AddressOctets(SourcePrefixLength);

    public override string ToString() => $"CLIENT-SUBNET: {Address}/{SourcePrefixLength}/{ScopePrefixLength}";

    internal static ClientSubnetOption Read(ReadOnlySpan<byte> data, int offset)
    {
        if (data.Length < 4)
        {
            return ThrowHelper.ThrowRead<ClientSubnetOption>(DnsReadError.BadEdnsOption, offset, "a client subnet option needs at least 4 octets");
        }

        ushort family = BinaryPrimitives.ReadUInt16BigEndian(data);
        byte source = data[2];
        byte scope = data[3];
        int size = family switch
        {
            1 => 4,
            2 => 16,
            _ => ThrowHelper.ThrowRead<int>(DnsReadError.BadEdnsOption, offset, $"client subnet family {family} is neither 1 (IPv4) nor 2 (IPv6)"),
        };
        if (source > size * 8 || scope > size * 8)
        {
            ThrowHelper.ThrowRead(DnsReadError.BadEdnsOption, offset, "client subnet prefix longer than the address");
        }

        var address = data[4..];

        // RFC 7871 s6: ADDRESS holds exactly the octets the source prefix needs, with the bits past it zero.
        if (address.Length != AddressOctets(source))
        {
            ThrowHelper.ThrowRead(DnsReadError.BadEdnsOption, offset, $"client subnet /{source} needs {AddressOctets(source)} address octets, not {address.Length}");
        }

        if (source % 8 != 0 && (address[^1] & (0xFF >> (source % 8))) != 0)
        {
            ThrowHelper.ThrowRead(DnsReadError.BadEdnsOption, offset, "client subnet address has bits set past the source prefix");
        }

        Span<byte> full = stackalloc byte[size];
        full.Clear();
        address.CopyTo(full);
        return new ClientSubnetOption(new IPAddress(full), source, scope);
    }

    internal override void WriteData(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Family);
        destination[2] = SourcePrefixLength;
        destination[3] = ScopePrefixLength;
        Span<byte> octets = stackalloc byte[16];
        Address.TryWriteBytes(octets, out _);
        octets[..AddressOctets(SourcePrefixLength)].CopyTo(destination[4..]);
    }

    private static int AddressOctets(int prefixLength) => (prefixLength + 7) / 8;

    private static IPAddress Truncate(IPAddress address, int prefixLength)
    {
        Span<byte> octets = stackalloc byte[16];
        address.TryWriteBytes(octets, out int length);
        octets = octets[..length];
        for (int bit = prefixLength; bit < length * 8; bit++)
        {
            octets[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(octets);
    }
}
