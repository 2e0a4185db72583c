using System.Buffers.Binary;

namespace Palisade.Protocol;

/// <summary>
/// Changes a stored response in place so that it answers a new query, allocating nothing: the ID, the letter case
/// of the question, and the TTLs (lowered by the time the answer spent in the cache).
/// </summary>
public static class DnsMessagePatcher
{
    /// <summary>Sets the message ID.</summary>
    public static void SetId(Span<byte> message, ushort id)
    {
        if (message.Length < 2)
        {
            ThrowHelper.ThrowArgument(nameof(message), "The message is shorter than its ID.");
        }

        BinaryPrimitives.WriteUInt16BigEndian(message, id);
    }

    /// <summary>
    /// Copies the question name's letter case from <paramref name="query"/> into <paramref name="response"/>, so that
    /// the client sees its own question back exactly (it may be using DNS 0x20). Names in the answer compressed to
    /// point at the question take the same case.
    /// </summary>
    /// <returns>false when either message has no question at offset 12, or the names differ other than in case.</returns>
    public static bool TryCopyQuestionCase(Span<byte> response, ReadOnlySpan<byte> query)
    {
        if (!TryMeasureUncompressedName(query, out int queryLength) ||
            !TryMeasureUncompressedName(response, out int responseLength) ||
            queryLength != responseLength)
        {
            return false;
        }

        var source = query.Slice(DnsConstants.HeaderSize, queryLength);
        var target = response.Slice(DnsConstants.HeaderSize, responseLength);
        if (!WireNames.EqualsIgnoreCase(source, target))
        {
            return false;
        }

        source.CopyTo(target);
        return true;
    }

    /// <summary>Lowers every TTL at <paramref name="ttlOffsets"/> by <paramref name="seconds"/>, stopping at zero.</summary>
    public static void SubtractFromTtls(Span<byte> message, ReadOnlySpan<ushort> ttlOffsets, uint seconds)
    {
        foreach (ushort offset in ttlOffsets)
        {
            var field = message.Slice(offset, 4);
            uint ttl = BinaryPrimitives.ReadUInt32BigEndian(field);
            BinaryPrimitives.WriteUInt32BigEndian(field, ttl > seconds ? ttl - seconds : 0);
        }
    }

    /// <summary>Sets every TTL at <paramref name="ttlOffsets"/> to <paramref name="ttl"/> (as for a stale answer, RFC 8767 s4).</summary>
    public static void SetTtls(Span<byte> message, ReadOnlySpan<ushort> ttlOffsets, uint ttl)
    {
        foreach (ushort offset in ttlOffsets)
        {
            BinaryPrimitives.WriteUInt32BigEndian(message.Slice(offset, 4), ttl);
        }
    }

    /// <summary>The length of the question name at offset 12 when it is written out without pointers.</summary>
    private static bool TryMeasureUncompressedName(ReadOnlySpan<byte> message, out int length)
    {
        int position = DnsConstants.HeaderSize;
        while (position < message.Length)
        {
            byte b = message[position];
            if (b == 0)
            {
                length = position + 1 - DnsConstants.HeaderSize;
                return true;
            }

            if (b > DnsConstants.MaxLabelLength || position + 1 - DnsConstants.HeaderSize + b >= DnsConstants.MaxNameLength)
            {
                break;
            }

            position += b + 1;
        }

        length = 0;
        return false;
    }
}
