namespace Palisade.Protocol;

/// <summary>A mail exchanger with its preference (RFC 1035 s3.3.9).</summary>
public sealed class MxRecordData : DnsRecordData
{
    public MxRecordData(ushort preference, DnsName exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        Preference = preference;
        Exchange = exchange;
    }

    public ushort Preference { get; }

    public DnsName Exchange { get; }

    public override DnsRecordType Type => DnsRecordType.MX;

    public override string ToString() => $"{Preference} {Exchange}";

    internal static MxRecordData Read(ref DnsMessageReader reader)
    {
        ushort preference = reader.ReadUInt16();
        return new MxRecordData(preference, reader.ReadName());
    }

    internal override void WriteTo(ref DnsMessageWriter writer)
    {
        writer.WriteUInt16(Preference);
        writer.WriteName(Exchange);
    }
}
