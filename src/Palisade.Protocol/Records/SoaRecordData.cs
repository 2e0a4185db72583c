namespace Palisade.Protocol;

/// <summary>Start of authority (RFC 1035 s3.3.13). <see cref="Minimum"/> is the negative-caching TTL (RFC 2308 s4).</summary>
public sealed class SoaRecordData : DnsRecordData
{
    /// <summary>The zone's primary name server (MNAME).</summary>
    public required DnsName PrimaryNameServer { get; init; }

    /// <summary>The mailbox of the person responsible, as a name (RNAME).</summary>
    public required DnsName ResponsibleMailbox { get; init; }

    public uint Serial { get; init; }

    public uint Refresh { get; init; }

    public uint Retry { get; init; }

    public uint Expire { get; init; }

    /// <summary>How long a negative answer may be cached (RFC 2308 s4).</summary>
    public uint Minimum { get; init; }

    public override DnsRecordType Type => DnsRecordType.SOA;

    public override string ToString() =>
        $"{PrimaryNameServer} {ResponsibleMailbox} {Serial} {Refresh} {Retry} {Expire} {Minimum}";

    internal static SoaRecordData Read(ref DnsMessageReader reader) => new()
    {
        PrimaryNameServer = reader.ReadName(),
        ResponsibleMailbox = reader.ReadName(),
        Serial = reader.ReadUInt32(),
        Refresh = reader.ReadUInt32(),
        Retry = reader.ReadUInt32(),
        Expire = reader.ReadUInt32(),
        Minimum = reader.ReadUInt32(),
    };

    internal override void WriteTo(ref DnsMessageWriter writer)
    {
        writer.WriteName(PrimaryNameServer);
        writer.WriteName(ResponsibleMailbox);
        writer.WriteUInt32(Serial);
        writer.WriteUInt32(Refresh);
        writer.WriteUInt32(Retry);
        writer.WriteUInt32(Expire);
        writer.WriteUInt32(Minimum);
    }
}
