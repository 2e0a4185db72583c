namespace Palisade.Protocol;

/// <summary>A service location (RFC 2782). The target is never compressed (RFC 2782, RFC 3597 s4).</summary>
public sealed class SrvRecordData : DnsRecordData
{
    public ushort Priority { get; init; }

    public ushort Weight { get; init; }

    public ushort Port { get; init; }

    public required DnsName Target { get; init; }

    public override DnsRecordType Type => DnsRecordType.SRV;

    public override string ToString() => $"{Priority} {Weight} {Port} {Target}";

    internal static SrvRecordData Read(ref DnsMessageReader reader) => new()
    {
        Priority = reader.ReadUInt16(),
        Weight = reader.ReadUInt16(),
        Port = reader.ReadUInt16(),
        Target = reader.ReadName(),
    };

    internal override void WriteTo(ref DnsMessageWriter writer)
    {
        writer.WriteUInt16(Priority);
        writer.WriteUInt16(Weight);
        writer.WriteUInt16(Port);
        writer.WriteName(Target, compress: false);
    }
}
