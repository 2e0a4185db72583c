using System.Buffers;

namespace Palisade.Protocol;

/// <summary>
/// A whole DNS message as objects: header, the four sections and EDNS. This is the general path (tools, tests,
/// building answers); the server's hot path works on the octets through <see cref="DnsMessageReader"/>,
/// <see cref="DnsMessageInspector"/> and <see cref="DnsMessagePatcher"/> instead.
/// The OPT record is not kept in <see cref="Additionals"/>: it is read into <see cref="Edns"/> and written last.
/// </summary>
public sealed partial class DnsMessage
{
    /// <summary>Header; its four counts are set from the sections when the message is written.</summary>
    public DnsHeader Header { get; set; }

    public ushort Id
    {
        get => Header.Id;
        set => Header = Header with { Id = value };
    }

    public List<DnsQuestion> Questions { get; } = [];

    public List<DnsResourceRecord> Answers { get; } = [];

    public List<DnsResourceRecord> Authorities { get; } = [];

    /// <summary>The additional section, without the OPT record.</summary>
    public List<DnsResourceRecord> Additionals { get; } = [];

    /// <summary>EDNS facts from the OPT record, or null when the message has none.</summary>
    public DnsEdns? Edns { get; set; }

    /// <summary>The full RCODE: the header's four bits joined with EDNS's eight high bits (RFC 6891 s6.1.3).</summary>
    public DnsResponseCode ResponseCode
    {
        get => (DnsResponseCode)(((Edns?.ExtendedResponseCode ?? 0) << 4) | Header.ResponseCodeLow);
        set
        {
            ushort code = (ushort)value;
            if (code > 0xF && Edns is null)
            {
                throw new InvalidOperationException($"RCODE {code} needs EDNS: set Edns first.");
            }

            var header = Header;
            header.ResponseCodeLow = (byte)(code & 0xF);
            Header = header;
            if (Edns is not null)
            {
                Edns.ExtendedResponseCode = (byte)(code >> 4);
            }
        }
    }

    /// <summary>Reads a whole message; every malformation gives a <see cref="DnsProtocolException"/> with its offset.</summary>
    public static DnsMessage Parse(ReadOnlySpan<byte> message)
    {
        var reader = new DnsMessageReader(message);
        var header = reader.ReadHeader();
        var result = new DnsMessage { Header = header };
        for (int i = 0; i < header.QuestionCount; i++)
        {
            result.Questions.Add(reader.ReadQuestion());
        }

        result.ReadSection(ref reader, header.AnswerCount, result.Answers, allowOpt: false);
        result.ReadSection(ref reader, header.AuthorityCount, result.Authorities, allowOpt: false);
        result.ReadSection(ref reader, header.AdditionalCount, result.Additionals, allowOpt: true);
        if (reader.Remaining > 0)
        {
            ThrowHelper.ThrowRead(DnsReadError.TrailingData, reader.Position, $"{reader.Remaining} octets after the last record");
        }

        return result;
    }

    /// <summary>Writes the message with name compression.</summary>
    /// <returns>false when it does not fit <paramref name="destination"/>.</returns>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        Span<ushort> compression = stackalloc ushort[512];
        var writer = new DnsMessageWriter(destination, compression);
        var header = Header;
        header.QuestionCount = CheckedCount(Questions.Count);
        header.AnswerCount = CheckedCount(Answers.Count);
        header.AuthorityCount = CheckedCount(Authorities.Count);
        header.AdditionalCount = CheckedCount(Additionals.Count + (Edns is null ? 0 : 1));
        writer.WriteHeader(header);
        foreach (var question in Questions)
        {
            writer.WriteQuestion(question);
        }

        foreach (var section in (ReadOnlySpan<List<DnsResourceRecord>>)[Answers, Authorities, Additionals])
        {
            foreach (var record in section)
            {
                writer.WriteRecord(record);
            }
        }

        if (Edns is not null)
        {
            Edns.WriteTo(ref writer);
        }

        written = writer.HasOverflowed ? 0 : writer.Position;
        return !writer.HasOverflowed;
    }

    /// <summary>The message in wire form, names compressed.</summary>
    public byte[] ToArray()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(DnsConstants.MaxMessageSize);
        try
        {
            if (!TryWrite(buffer.AsSpan(0, DnsConstants.MaxMessageSize), out int written))
            {
                throw new InvalidOperationException("The message is larger than 65535 octets.");
            }

            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ushort CheckedCount(int count) =>
        count <= ushort.MaxValue ? (ushort)count : throw new InvalidOperationException("A section holds at most 65535 records.");

    private void ReadSection(ref DnsMessageReader reader, int count, List<DnsResourceRecord> section, bool allowOpt)
    {
        for (int i = 0; i < count; i++)
        {
            int offset = reader.Position;
            var record = reader.ReadRecord();
            if (record.Type != DnsRecordType.OPT)
            {
                section.Add(record);
                continue;
            }

            // RFC 6891 s6.1.1: one OPT at most, in the additional section, owned by the root.
            if (!allowOpt || Edns is not null || !record.Name.IsRoot)
            {
                ThrowHelper.ThrowRead(DnsReadError.BadOpt, offset, allowOpt ? "a second OPT record, or one not owned by the root" : "OPT outside the additional section");
            }

            Edns = DnsEdns.FromRecord(record);
        }
    }
}
