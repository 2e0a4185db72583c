using System.Buffers.Binary;

namespace Palisade.Protocol;

/// <summary>
/// Reads what the forwarder and cache need straight from a message's octets, allocating nothing: where the TTLs are,
/// the answer's lowest TTL, the negative-caching TTL and the EDNS facts. Malformed input gives false, never an exception.
/// </summary>
public static class DnsMessageInspector
{
    /// <summary>
    /// Finds the offset of every TTL field in the answer, authority and additional sections, OPT's excepted (its TTL
    /// field holds flags, RFC 6891 s6.1.3).
    /// </summary>
    /// <returns>false when the message is malformed or has more TTLs than <paramref name="offsets"/> holds.</returns>
    public static bool TryFindTtlOffsets(ReadOnlySpan<byte> message, Span<ushort> offsets, out int count)
    {
        count = 0;
        var walker = new DnsRecordWalker(message);
        while (walker.TryNext(out var slot))
        {
            if (slot.Type == DnsRecordType.OPT)
            {
                continue;
            }

            if (count == offsets.Length)
            {
                return false;
            }

            offsets[count++] = (ushort)slot.TtlOffset;
        }

        return walker.Error == DnsReadError.None;
    }

    /// <summary>The lowest TTL in the answer section: how long the answer may be cached.</summary>
    /// <returns>false when there is no answer record or the message is malformed.</returns>
    public static bool TryGetMinimumAnswerTtl(ReadOnlySpan<byte> message, out uint ttl)
    {
        ttl = uint.MaxValue;
        bool found = false;
        var walker = new DnsRecordWalker(message);
        while (walker.TryNext(out var slot) && slot.Section == DnsRecordSlot.AnswerSection)
        {
            ttl = Math.Min(ttl, BinaryPrimitives.ReadUInt32BigEndian(message[slot.TtlOffset..]));
            found = true;
        }

        if (!found || walker.Error != DnsReadError.None)
        {
            ttl = 0;
            return false;
        }

        return true;
    }

    /// <summary>
    /// The TTL of a negative answer (NXDOMAIN or NODATA): the lesser of the authority SOA's own TTL and its MINIMUM
    /// field (RFC 2308 s5).
    /// </summary>
    /// <returns>false when the authority section has no well-formed SOA (the answer may then not be cached, RFC 2308 s5).</returns>
    public static bool TryGetNegativeTtl(ReadOnlySpan<byte> message, out uint ttl)
    {
        ttl = 0;
        var walker = new DnsRecordWalker(message);
        while (walker.TryNext(out var slot))
        {
            if (slot.Section != DnsRecordSlot.AuthoritySection || slot.Type != DnsRecordType.SOA)
            {
                continue;
            }

            // SOA RDATA: MNAME, RNAME, then five 32-bit fields of which MINIMUM is the last.
            int end = slot.DataOffset + slot.DataLength;
            if (DnsNameCodec.TryDecode(message, slot.DataOffset, end, default, out _, out int afterMname, out _) != DnsReadError.None ||
                DnsNameCodec.TryDecode(message, afterMname, end, default, out _, out int afterRname, out _) != DnsReadError.None ||
                end - afterRname != 20)
            {
                return false;
            }

            uint recordTtl = BinaryPrimitives.ReadUInt32BigEndian(message[slot.TtlOffset..]);
            uint minimum = BinaryPrimitives.ReadUInt32BigEndian(message[(end - 4)..]);
            ttl = Math.Min(recordTtl, minimum);
            return true;
        }

        return false;
    }

    /// <summary>Finds the OPT record and reads its EDNS facts.</summary>
    /// <returns>false when the message has no OPT record or is malformed.</returns>
    public static bool TryGetOpt(ReadOnlySpan<byte> message, out DnsOptInfo opt)
    {
        var walker = new DnsRecordWalker(message);
        while (walker.TryNext(out var slot))
        {
            if (slot.Type != DnsRecordType.OPT)
            {
                continue;
            }

            int classOffset = slot.TtlOffset - 2;
            opt = new DnsOptInfo(
                slot.NameOffset,
                BinaryPrimitives.ReadUInt16BigEndian(message[classOffset..]),
                message[slot.TtlOffset],
                message[slot.TtlOffset + 1],
                BinaryPrimitives.ReadUInt16BigEndian(message[(slot.TtlOffset + 2)..]),
                slot.DataOffset,
                slot.DataLength);
            return true;
        }

        opt = default;
        return false;
    }
}
