using System.Text;

namespace Palisade.Protocol;

/// <summary>Certification authority authorization (RFC 8659 s4.1): flags, a tag such as <c>issue</c>, and a value.</summary>
public sealed class CaaRecordData : DnsRecordData
{
    private readonly byte[] _value;

    public CaaRecordData(byte flags, string tag, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag.Length is 0 or > 255 || !tag.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("A CAA tag is 1 to 255 ASCII letters and digits.", nameof(tag));
        }

        Flags = flags;
        Tag = tag;
        _value = value.ToArray();
    }

    public CaaRecordData(byte flags, string tag, string value)
        : this(flags, tag, Encoding.UTF8.GetBytes(value ?? throw new ArgumentNullException(nameof(value))))
    {
    }

    /// <summary>The flags octet; 128 is the issuer-critical flag.</summary>
    public byte Flags { get; }

    public string Tag { get; }

    public ReadOnlySpan<byte> Value => _value;

    public override DnsRecordType Type => DnsRecordType.CAA;

    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(Flags).Append(' ').Append(Tag).Append(' ');
        DnsPresentation.AppendQuoted(builder, _value);
        return builder.ToString();
    }

    internal static CaaRecordData Read(ref DnsMessageReader reader)
    {
        int offset = reader.Position;
        byte flags = reader.ReadByte();
        int tagLength = reader.ReadByte();
        var tag = reader.ReadBytes(tagLength);
        if (tagLength == 0 || !Ascii.IsValid(tag) || tag.ContainsAnyExcept(DnsPresentation.AlphaNumericBytes))
        {
            ThrowHelper.ThrowRead(DnsReadError.BadRecordData, offset, "a CAA tag is 1 to 255 ASCII letters and digits");
        }

        return new CaaRecordData(flags, Encoding.ASCII.GetString(tag), reader.ReadToEnd());
    }

    internal override void WriteTo(ref DnsMessageWriter writer)
    {
        writer.WriteByte(Flags);
        writer.WriteByte((byte)Tag.Length);
        Span<byte> tag = stackalloc byte[Tag.Length];
        Encoding.ASCII.GetBytes(Tag, tag);
        writer.WriteBytes(tag);
        writer.WriteBytes(_value);
    }
}
