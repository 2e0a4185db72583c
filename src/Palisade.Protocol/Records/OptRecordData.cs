namespace Palisade.Protocol;

/// <summary>
/// The data of an OPT pseudo-record (RFC 6891 s6.1.2): its options. The rest of EDNS lives in the OPT record's class
/// and TTL fields; <see cref="DnsEdns"/> gathers it all, and <see cref="DnsMessage"/> keeps OPT out of its sections.
/// </summary>
public sealed class OptRecordData : DnsRecordData
{
    private readonly EdnsOption[] _options;

    public OptRecordData(IEnumerable<EdnsOption> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = [.. options];
    }

    public IReadOnlyList<EdnsOption> Options => _options;

    public override DnsRecordType Type => DnsRecordType.OPT;

    public override string ToString() => string.Join("; ", _options.Select(o => o.ToString()));

    internal static OptRecordData Read(ref DnsMessageReader reader)
    {
        var options = new List<EdnsOption>();
        while (reader.Remaining > 0)
        {
            int offset = reader.Position;
            var code = (EdnsOptionCode)reader.ReadUInt16();
            int length = reader.ReadUInt16();
            if (length > reader.Remaining)
            {
                ThrowHelper.ThrowRead(DnsReadError.BadEdnsOption, offset, $"option length {length} runs past the OPT data");
            }

            options.Add(EdnsOption.Read(code, reader.ReadBytes(length), offset));
        }

        return new OptRecordData(options);
    }

    internal override void WriteTo(ref DnsMessageWriter writer) => WriteOptions(ref writer, _options);

    /// <summary>Writes options as OPT RDATA: code, length, data for each (RFC 6891 s6.1.2).</summary>
    internal static void WriteOptions(ref DnsMessageWriter writer, IList<EdnsOption> options)
    {
        Span<byte> small = stackalloc byte[256];
        for (int i = 0; i < options.Count; i++)
        {
            var option = options[i];
            int length = option.DataLength;
            writer.WriteUInt16((ushort)option.Code);
            writer.WriteUInt16((ushort)length);
            var data = length <= small.Length ? small[..length] : new byte[length];
            option.WriteData(data);
            writer.WriteBytes(data);
        }
    }
}
