using System.Buffers;

namespace Palisade.Protocol;

/// <summary>
/// The RDATA of a record. Each known type has its own sealed class; every other type, and the DNSSEC types this
/// server only passes along, is kept whole as <see cref="UnknownRecordData"/> (RFC 3597). Two record data are equal
/// when their canonical wire forms (RFC 4034 s6.2: names in lower case, nothing compressed) are equal.
/// </summary>
public abstract class DnsRecordData : IEquatable<DnsRecordData>
{
    private protected DnsRecordData()
    {
    }

    /// <summary>The record type this data belongs to.</summary>
    public abstract DnsRecordType Type { get; }

    /// <summary>The data in presentation format, as dig and zone files show it.</summary>
    public abstract override string ToString();

    /// <summary>The uncompressed wire form of the data (RDLENGTH not included).</summary>
    public byte[] ToWire() => Serialize(lowercase: false);

    public bool Equals(DnsRecordData? other) =>
        other is not null && other.Type == Type && Serialize(lowercase: true).AsSpan().SequenceEqual(other.Serialize(lowercase: true));

    public override bool Equals(object? obj) => Equals(obj as DnsRecordData);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Type);
        hash.AddBytes(Serialize(lowercase: true));
        return hash.ToHashCode();
    }

    /// <summary>Writes the data (not RDLENGTH), compressing names only where RFC 3597 s4 allows it.</summary>
    internal abstract void WriteTo(ref DnsMessageWriter writer);

    /// <summary>Reads <paramref name="length"/> octets of data of <paramref name="type"/>; the reader is bounded to them.</summary>
    internal static DnsRecordData Read(ref DnsMessageReader reader, DnsRecordType type, int length) => (type, length) switch
    {
        // Empty RDATA is how dynamic update deletes an RRset (RFC 2136 s2.5.2); kept whole whatever the type.
        (not DnsRecordType.OPT, 0) => new UnknownRecordData(type, []),
        _ => ReadTyped(ref reader, type, length),
    };

    private static DnsRecordData ReadTyped(ref DnsMessageReader reader, DnsRecordType type, int length) => type switch
    {
        DnsRecordType.A => ARecordData.Read(ref reader, length),
        DnsRecordType.AAAA => AaaaRecordData.Read(ref reader, length),
        DnsRecordType.CNAME => new CnameRecordData(reader.ReadName()),
        DnsRecordType.DNAME => new DnameRecordData(reader.ReadName()),
        DnsRecordType.NS => new NsRecordData(reader.ReadName()),
        DnsRecordType.PTR => new PtrRecordData(reader.ReadName()),
        DnsRecordType.MX => MxRecordData.Read(ref reader),
        DnsRecordType.TXT => TxtRecordData.Read(ref reader),
        DnsRecordType.SOA => SoaRecordData.Read(ref reader),
        DnsRecordType.SRV => SrvRecordData.Read(ref reader),
        DnsRecordType.CAA => CaaRecordData.Read(ref reader),
        DnsRecordType.SVCB or DnsRecordType.HTTPS => SvcbRecordData.Read(ref reader, type),
        DnsRecordType.NAPTR => NaptrRecordData.Read(ref reader),
        DnsRecordType.OPT => OptRecordData.Read(ref reader),
        _ => new UnknownRecordData(type, reader.ReadToEnd()),
    };

    private byte[] Serialize(bool lowercase)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(DnsConstants.MaxMessageSize);
        try
        {
            var writer = new DnsMessageWriter(buffer) { LowercaseNames = lowercase };
            WriteTo(ref writer);
            if (writer.HasOverflowed)
            {
                throw new InvalidOperationException($"{Type} data is larger than a DNS message can hold.");
            }

            return writer.Written.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
