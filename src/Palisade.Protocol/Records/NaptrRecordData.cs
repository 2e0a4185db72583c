using System.Text;

namespace Palisade.Protocol;

/// <summary>
/// Naming authority pointer (RFC 3403 s4.1). Typed rather than kept as octets because some writers compress its
/// replacement name, and a pointer kept as raw octets would be wrong once the record moves.
/// </summary>
public sealed class NaptrRecordData : DnsRecordData
{
    private byte[] _flags = [];
    private byte[] _services = [];
    private byte[] _regexp = [];

    public ushort Order { get; init; }

    public ushort Preference { get; init; }

    public ReadOnlySpan<byte> Flags { get => _flags; init => _flags = CharacterString(value); }

    public ReadOnlySpan<byte> Services { get => _services; init => _services = CharacterString(value); }

    public ReadOnlySpan<byte> Regexp { get => _regexp; init => _regexp = CharacterString(value); }

    public required DnsName Replacement { get; init; }

    public override DnsRecordType Type => DnsRecordType.NAPTR;

    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(Order).Append(' ').Append(Preference).Append(' ');
        DnsPresentation.AppendQuoted(builder, _flags);
        builder.Append(' ');
        DnsPresentation.AppendQuoted(builder, _services);
        builder.Append(' ');
        DnsPresentation.AppendQuoted(builder, _regexp);
        builder.Append(' ');
        Replacement.AppendTo(builder);
        return builder.ToString();
    }

    internal static NaptrRecordData Read(ref DnsMessageReader reader) => new()
    {
        Order = reader.ReadUInt16(),
        Preference = reader.ReadUInt16(),
        Flags = reader.ReadBytes(reader.ReadByte()),
        Services = reader.ReadBytes(reader.ReadByte()),
        Regexp = reader.ReadBytes(reader.ReadByte()),
        Replacement = reader.ReadName(),
    };

    internal override void WriteTo(ref DnsMessageWriter writer)
    {
        writer.WriteUInt16(Order);
        writer.WriteUInt16(Preference);
        foreach (byte[] s in (ReadOnlySpan<byte[]>)[_flags, _services, _regexp])
        {
            writer.WriteByte((byte)s.Length);
            writer.WriteBytes(s);
        }

        writer.WriteName(Replacement, compress: false);
    }

    private static byte[] CharacterString(ReadOnlySpan<byte> value) =>
        value.Length <= 255 ? value.ToArray() : throw new ArgumentException("A character-string holds at most 255 octets.", nameof(value));
}
