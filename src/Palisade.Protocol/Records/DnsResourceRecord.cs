using System.Text;

namespace Palisade.Protocol;

/// <summary>A resource record (RFC 1035 s4.1.3): owner name, class, TTL and typed data; the type is the data's.</summary>
public sealed class DnsResourceRecord : IEquatable<DnsResourceRecord>
{
    public DnsResourceRecord(DnsName name, DnsClass @class, uint ttl, DnsRecordData data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(data);
        Name = name;
        Class = @class;
        Ttl = ttl;
        Data = data;
    }

    /// <summary>A record of class IN.</summary>
    public DnsResourceRecord(DnsName name, uint ttl, DnsRecordData data)
        : this(name, DnsClass.IN, ttl, data)
    {
    }

    public DnsName Name { get; }

    public DnsRecordType Type => Data.Type;

    /// <summary>The class; for OPT this field carries the UDP payload size instead (RFC 6891 s6.1.2).</summary>
    public DnsClass Class { get; }

    /// <summary>Seconds the record may be cached; for OPT this field carries the extended RCODE, version and flags.</summary>
    public uint Ttl { get; }

    public DnsRecordData Data { get; }

    /// <summary>The same record with another TTL.</summary>
    public DnsResourceRecord WithTtl(uint ttl) => new(Name, Class, ttl, Data);

    /// <summary>As dig prints it: <c>example.com.  300  IN  A  192.0.2.1</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Name.AppendTo(builder);
        builder.Append('\t').Append(Ttl)
            .Append('\t').Append(DnsPresentation.FormatClass(Class))
            .Append('\t').Append(DnsPresentation.FormatType(Type))
            .Append('\t').Append(Data.ToString());
        return builder.ToString();
    }

    public bool Equals(DnsResourceRecord? other) =>
        other is not null && Name.Equals(other.Name) && Class == other.Class && Ttl == other.Ttl && Data.Equals(other.Data);

    public override bool Equals(object? obj) => Equals(obj as DnsResourceRecord);

    public override int GetHashCode() => HashCode.Combine(Name, Class, Ttl, Data);
}
