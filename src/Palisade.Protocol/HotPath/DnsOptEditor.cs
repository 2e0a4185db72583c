using System.Buffers.Binary;

namespace Palisade.Protocol;

/// <summary>
/// Takes the OPT record out of a message and puts one in, in place and without allocating. A forwarder stores answers
/// without the upstream's OPT and gives each client an OPT of its own only when the client sent one
/// (RFC 6891 s7: no OPT in a response to a query without one).
/// </summary>
public static class DnsOptEditor
{
    /// <summary>Octets of an OPT record with no options: root name, type, class, TTL, RDLENGTH.</summary>
    public const int EmptyOptLength = 11;

    /// <summary>Removes the OPT record, closing the gap; <paramref name="length"/> becomes the new length.</summary>
    /// <returns>false when the message is malformed; true (unchanged) when it has no OPT.</returns>
    public static bool TryRemoveOpt(Span<byte> message, ref int length)
    {
        var walker = new DnsRecordWalker(message[..length]);
        while (walker.TryNext(out var slot))
        {
            if (slot.Type != DnsRecordType.OPT)
            {
                continue;
            }

            int start = slot.NameOffset;
            int end = slot.DataOffset + slot.DataLength;
            message[end..length].CopyTo(message[start..]);
            length -= end - start;
            ushort additional = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
            BinaryPrimitives.WriteUInt16BigEndian(message[10..], (ushort)(additional - 1));
            return true;
        }

        return walker.Error == DnsReadError.None;
    }

    /// <summary>
    /// Appends an OPT record advertising <paramref name="udpPayloadSize"/>, with DO as given, the high RCODE bits of
    /// <paramref name="responseCode"/> and an optional Extended DNS Error (RFC 8914), and counts it in ARCOUNT.
    /// </summary>
    /// <returns>false when it does not fit <paramref name="buffer"/>.</returns>
    public static bool TryAppendOpt(
        Span<byte> buffer,
        ref int length,
        ushort udpPayloadSize,
        bool dnssecOk,
        DnsResponseCode responseCode = DnsResponseCode.NoError,
        ExtendedDnsErrorCode? extendedError = null)
    {
        int size = EmptyOptLength + (extendedError is null ? 0 : 6);
        if (length < DnsConstants.HeaderSize || buffer.Length - length < size)
        {
            return false;
        }

        var writer = new DnsMessageWriter(buffer[length..]);
        writer.WriteByte(0);
        writer.WriteUInt16((ushort)DnsRecordType.OPT);
        writer.WriteUInt16(udpPayloadSize);
        writer.WriteByte((byte)((ushort)responseCode >> 4));
        writer.WriteByte(0);
        writer.WriteUInt16(dnssecOk ? (ushort)0x8000 : (ushort)0);
        if (extendedError is { } ede)
        {
            writer.WriteUInt16(6);
            writer.WriteUInt16((ushort)EdnsOptionCode.ExtendedDnsError);
            writer.WriteUInt16(2);
            writer.WriteUInt16((ushort)ede);
        }
        else
        {
            writer.WriteUInt16(0);
        }

        length += writer.Position;
        ushort additional = BinaryPrimitives.ReadUInt16BigEndian(buffer[10..]);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[10..], (ushort)(additional + 1));
        return true;
    }

    /// <summary>
    /// Adds a Padding option (RFC 7830) to the OPT record so that the whole message is a multiple of
    /// <paramref name="blockSize"/> octets: 128 for queries and 468 for responses on encrypted transports (RFC 8467 s4.1).
    /// The OPT record must be the message's last record, as it is in a query Palisade writes.
    /// </summary>
    /// <returns>false when the message does not end with an OPT record or the padding does not fit <paramref name="buffer"/>.</returns>
    public static bool TryPad(Span<byte> buffer, ref int length, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        if (!DnsMessageInspector.TryGetOpt(buffer[..length], out var opt) || opt.DataOffset + opt.DataLength != length)
        {
            return false;
        }

        const int OptionHeader = 4;
        int padding = (blockSize - ((length + OptionHeader) % blockSize)) % blockSize;
        int added = OptionHeader + padding;
        if (buffer.Length - length < added || opt.DataLength + added > ushort.MaxValue)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(buffer[length..], (ushort)EdnsOptionCode.Padding);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(length + 2)..], (ushort)padding);
        buffer.Slice(length + OptionHeader, padding).Clear();
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(opt.DataOffset - 2)..], (ushort)(opt.DataLength + added));
        length += added;
        return true;
    }

    /// <summary>
    /// Cuts a response down to its header and question, with TC set (RFC 1035 s4.1.1, RFC 2181 s9): what a UDP client
    /// gets when the whole answer does not fit, so that it asks again over TCP.
    /// </summary>
    /// <returns>false when the message has no readable question section.</returns>
    public static bool TryTruncate(Span<byte> message, ref int length)
    {
        if (!DnsHeader.TryRead(message[..length], out var header))
        {
            return false;
        }

        int position = DnsConstants.HeaderSize;
        for (int i = 0; i < header.QuestionCount; i++)
        {
            if (DnsNameCodec.TryDecode(message[..length], position, length, default, out _, out int next, out _) != DnsReadError.None ||
                length - next < 4)
            {
                return false;
            }

            position = next + 4;
        }

        header.Truncated = true;
        header.AnswerCount = 0;
        header.AuthorityCount = 0;
        header.AdditionalCount = 0;
        header.WriteTo(message);
        length = position;
        return true;
    }
}
