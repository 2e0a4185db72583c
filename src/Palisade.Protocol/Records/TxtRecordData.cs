using System.Text;

namespace Palisade.Protocol;

/// <summary>
/// One or more character-strings (RFC 1035 s3.3.14), each up to 255 octets. Binary-safe: the octets are kept as
/// they are, whatever their encoding.
/// </summary>
public sealed class TxtRecordData : DnsRecordData
{
    private readonly byte[][] _strings;

    public TxtRecordData(IEnumerable<byte[]> strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        _strings = [.. strings.Select(s => (byte[])s.Clone())];
        foreach (byte[] s in _strings)
        {
            if (s.Length > 255)
            {
                throw new ArgumentException("A character-string holds at most 255 octets.", nameof(strings));
            }
        }
    }

    /// <summary>Text strings, stored as UTF-8.</summary>
    public TxtRecordData(params string[] strings)
        : this(strings.Select(Encoding.UTF8.GetBytes))
    {
    }

    /// <summary>Takes strings the reader has already copied out of the message.</summary>
    private TxtRecordData(List<byte[]> strings) => _strings = [.. strings];

    /// <summary>The character-strings, in order.</summary>
    public IReadOnlyList<byte[]> Strings => _strings;

    public override DnsRecordType Type => DnsRecordType.TXT;

    /// <summary>Each string quoted, with <c>"</c> and <c>\</c> escaped and non-printable octets as <c>\DDD</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        for (int i = 0; i < _strings.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            DnsPresentation.AppendQuoted(builder, _strings[i]);
        }

        return builder.ToString();
    }

    internal static TxtRecordData Read(ref DnsMessageReader reader)
    {
        var strings = new List<byte[]>();
        while (reader.Remaining > 0)
        {
            int length = reader.ReadByte();
            strings.Add(reader.ReadBytes(length).ToArray());
        }

        return new TxtRecordData(strings);
    }

    internal override void WriteTo(ref DnsMessageWriter writer)
    {
        foreach (byte[] s in _strings)
        {
            writer.WriteByte((byte)s.Length);
            writer.WriteBytes(s);
        }
    }
}
