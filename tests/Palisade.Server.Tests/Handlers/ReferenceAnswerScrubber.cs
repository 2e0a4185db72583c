using System.Buffers;
using System.Buffers.Binary;
using Palisade.Protocol;
using Palisade.Server.Handlers.Forwarding;

namespace Palisade.Server.Tests.Handlers;

/// <summary>
/// <see cref="AnswerScrubber"/> as it was before it was made linear (commit 4d6b4ab), unchanged but for its name: the
/// oracle <see cref="AnswerScrubberEquivalenceTests"/> compares the linear one with. It walked the whole message again
/// for each record it asked "glue?" or "below a kept zone?" about.
/// </summary>
internal static class ReferenceAnswerScrubber
{
    /// <summary>The most names of a CNAME chain followed, the question's name included.</summary>
    public const int MaxChainLength = 16;

    /// <summary>Names are kept lower case and uncompressed, 255 octets each at most; one more for a length prefix.</summary>
    private const int NameSlot = DnsConstants.MaxNameLength + 1;

    /// <summary>
    /// Scrubs <paramref name="response"/>. On <see cref="ScrubResult.Scrubbed"/>, <paramref name="scrubbed"/> is rented
    /// from <see cref="ArrayPool{T}.Shared"/> (room for <see cref="DnsConstants.MaxMessageSize"/> octets) and holds
    /// <paramref name="length"/> octets; the caller returns it.
    /// </summary>
    public static ScrubResult Scrub(ReadOnlySpan<byte> response, out byte[]? scrubbed, out int length)
    {
        scrubbed = null;
        length = response.Length;
        if (!DnsHeader.TryRead(response, out var header))
        {
            return ScrubResult.Malformed;
        }

        if (header.QuestionCount != 1)
        {
            // Nothing to check the records against; the forwarder only passes on answers to its one question.
            return ScrubResult.Unchanged;
        }

        Span<byte> chain = stackalloc byte[MaxChainLength * NameSlot];
        var reader = new DnsMessageReader(response) { Position = DnsConstants.HeaderSize };
        if (!TryReadLowerName(ref reader, response.Length, chain[1..NameSlot], out int nameLength) || reader.Remaining < 4)
        {
            return ScrubResult.Malformed;
        }

        chain[0] = (byte)nameLength;
        var questionType = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(response[reader.Position..]);
        int chainCount = FollowChain(response, questionType, chain);

        int kept = 0;
        int total = 0;
        var walker = new DnsRecordWalker(response);
        while (walker.TryNext(out var slot))
        {
            total++;
            if (Keep(response, slot, chain, chainCount))
            {
                kept++;
            }
        }

        if (walker.Error != DnsReadError.None)
        {
            return ScrubResult.Malformed;
        }

        return kept == total ? ScrubResult.Unchanged : Rewrite(response, chain, chainCount, out scrubbed, out length);
    }

    /// <summary>Adds to <paramref name="chain"/> the names reached from the first through CNAMEs; returns the count.</summary>
    private static int FollowChain(ReadOnlySpan<byte> response, DnsRecordType questionType, Span<byte> chain)
    {
        int count = 1;
        if (questionType == DnsRecordType.CNAME)
        {
            return count;
        }

        Span<byte> owner = stackalloc byte[DnsConstants.MaxNameLength];
        while (count < MaxChainLength)
        {
            var current = Name(chain, count - 1);
            bool found = false;
            var walker = new DnsRecordWalker(response);
            while (!found && walker.TryNext(out var slot) && slot.Section == DnsRecordSlot.AnswerSection)
            {
                if (slot.Type != DnsRecordType.CNAME || !TryReadLowerName(response, slot.NameOffset, owner, out int ownerLength) ||
                    !owner[..ownerLength].SequenceEqual(current))
                {
                    continue;
                }

                var next = chain.Slice(count * NameSlot, NameSlot);
                if (TryReadLowerName(response, slot.DataOffset, slot.DataOffset + slot.DataLength, next[1..], out int targetLength) &&
                    IndexOf(chain, count, next.Slice(1, targetLength)) < 0)
                {
                    next[0] = (byte)targetLength;
                    count++;
                    found = true;
                }
            }

            if (!found)
            {
                break;
            }
        }

        return count;
    }

    private static bool Keep(ReadOnlySpan<byte> response, DnsRecordSlot slot, ReadOnlySpan<byte> chain, int chainCount)
    {
        if (slot.Type == DnsRecordType.OPT && slot.Section == DnsRecordSlot.AdditionalSection)
        {
            return true;
        }

        Span<byte> owner = stackalloc byte[DnsConstants.MaxNameLength];
        if (!TryReadLowerName(response, slot.NameOffset, owner, out int ownerLength))
        {
            return false;
        }

        owner = owner[..ownerLength];
        switch (slot.Section)
        {
            case DnsRecordSlot.AnswerSection:
                if (IndexOf(chain, chainCount, owner) >= 0)
                {
                    return true;
                }

                // A DNAME (or its signature) above a name of the chain: what the chain's synthesized CNAME comes from.
                bool dname = slot.Type == DnsRecordType.DNAME ||
                    (slot.Type == DnsRecordType.RRSIG && slot.DataLength >= 2 &&
                     (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(response[slot.DataOffset..]) == DnsRecordType.DNAME);
                return dname && IsAncestorOfChain(owner, chain, chainCount);

            case DnsRecordSlot.AuthoritySection:
                if (slot.Type is DnsRecordType.SOA or DnsRecordType.NS)
                {
                    return IsAncestorOfChain(owner, chain, chainCount);
                }

                return slot.Type is DnsRecordType.NSEC or DnsRecordType.NSEC3 or DnsRecordType.RRSIG &&
                    IsBelowKeptZone(response, owner, chain, chainCount);

            default:
                return IsGlue(response, owner, chain, chainCount);
        }
    }

    /// <summary>Is <paramref name="name"/> at or below the owner of a kept authority SOA or NS?</summary>
    private static bool IsBelowKeptZone(ReadOnlySpan<byte> response, ReadOnlySpan<byte> name, ReadOnlySpan<byte> chain, int chainCount)
    {
        Span<byte> zone = stackalloc byte[DnsConstants.MaxNameLength];
        var walker = new DnsRecordWalker(response);
        while (walker.TryNext(out var slot) && slot.Section != DnsRecordSlot.AdditionalSection)
        {
            if (slot.Section == DnsRecordSlot.AuthoritySection && slot.Type is DnsRecordType.SOA or DnsRecordType.NS &&
                TryReadLowerName(response, slot.NameOffset, zone, out int zoneLength) &&
                IsAncestorOfChain(zone[..zoneLength], chain, chainCount) &&
                IsAncestorOrSelf(zone[..zoneLength], name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Is <paramref name="name"/> the target of an NS, MX or SRV record kept in the answer or authority?</summary>
    private static bool IsGlue(ReadOnlySpan<byte> response, ReadOnlySpan<byte> name, ReadOnlySpan<byte> chain, int chainCount)
    {
        Span<byte> target = stackalloc byte[DnsConstants.MaxNameLength];
        var walker = new DnsRecordWalker(response);
        while (walker.TryNext(out var slot) && slot.Section != DnsRecordSlot.AdditionalSection)
        {
            int skip = slot.Type switch
            {
                DnsRecordType.NS => 0,
                DnsRecordType.MX => 2,
                DnsRecordType.SRV => 6,
                _ => -1,
            };
            if (skip < 0 || slot.DataLength <= skip ||
                !TryReadLowerName(response, slot.DataOffset + skip, slot.DataOffset + slot.DataLength, target, out int targetLength) ||
                !target[..targetLength].SequenceEqual(name) ||
                !Keep(response, slot, chain, chainCount))
            {
                continue;
            }

            return true;
        }

        return false;
    }

    /// <summary>Writes the header, the question and the kept records into a pooled buffer.</summary>
    private static ScrubResult Rewrite(ReadOnlySpan<byte> response, ReadOnlySpan<byte> chain, int chainCount, out byte[]? scrubbed, out int length)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(DnsConstants.MaxMessageSize);
        Span<ushort> compression = stackalloc ushort[128];
        try
        {
            var writer = new DnsMessageWriter(buffer.AsSpan(0, DnsConstants.MaxMessageSize), compression);
            writer.WriteBytes(response[..DnsConstants.HeaderSize]);
            var reader = new DnsMessageReader(response) { Position = DnsConstants.HeaderSize };
            writer.WriteQuestion(reader.ReadQuestion());

            Span<ushort> counts = stackalloc ushort[3];
            var walker = new DnsRecordWalker(response);
            while (walker.TryNext(out var slot))
            {
                reader.Position = slot.NameOffset;
                var record = reader.ReadRecord();
                if (Keep(response, slot, chain, chainCount))
                {
                    writer.WriteRecord(record);
                    counts[slot.Section]++;
                }
            }

            if (walker.Error != DnsReadError.None || writer.HasOverflowed)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                scrubbed = null;
                length = 0;
                return ScrubResult.Malformed;
            }

            writer.PatchUInt16(6, counts[0]);
            writer.PatchUInt16(8, counts[1]);
            writer.PatchUInt16(10, counts[2]);
            scrubbed = buffer;
            length = writer.Position;
            return ScrubResult.Scrubbed;
        }
        catch (DnsProtocolException)
        {
            // A record's data the walker's framing check let through but its type's reader does not.
            ArrayPool<byte>.Shared.Return(buffer);
            scrubbed = null;
            length = 0;
            return ScrubResult.Malformed;
        }
    }

    private static ReadOnlySpan<byte> Name(ReadOnlySpan<byte> chain, int index) =>
        chain.Slice((index * NameSlot) + 1, chain[index * NameSlot]);

    private static int IndexOf(ReadOnlySpan<byte> chain, int count, ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < count; i++)
        {
            if (Name(chain, i).SequenceEqual(name))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsAncestorOfChain(ReadOnlySpan<byte> ancestor, ReadOnlySpan<byte> chain, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (IsAncestorOrSelf(ancestor, Name(chain, i)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Is <paramref name="ancestor"/> equal to <paramref name="name"/> or one of its suffixes at a label boundary?</summary>
    private static bool IsAncestorOrSelf(ReadOnlySpan<byte> ancestor, ReadOnlySpan<byte> name)
    {
        int position = 0;
        while (name.Length - position >= ancestor.Length)
        {
            if (name[position..].SequenceEqual(ancestor))
            {
                return true;
            }

            if (name[position] == 0)
            {
                return false;
            }

            position += name[position] + 1;
        }

        return false;
    }

    private static bool TryReadLowerName(ReadOnlySpan<byte> message, int offset, Span<byte> destination, out int length) =>
        TryReadLowerName(message, offset, message.Length, destination, out length);

    /// <summary>Reads the name at <paramref name="offset"/>, which must end before <paramref name="end"/>, in lower case.</summary>
    private static bool TryReadLowerName(ReadOnlySpan<byte> message, int offset, int end, Span<byte> destination, out int length)
    {
        var reader = new DnsMessageReader(message) { Position = offset };
        return TryReadLowerName(ref reader, end, destination, out length);
    }

    private static bool TryReadLowerName(ref DnsMessageReader reader, int end, scoped Span<byte> destination, out int length)
    {
        if (!reader.TryReadName(destination, out length, out _) || reader.Position > end)
        {
            length = 0;
            return false;
        }

        // Length octets are at most 63, below 'A': lowering every octet leaves them alone.
        foreach (ref byte b in destination[..length])
        {
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                b |= 0x20;
            }
        }

        return true;
    }
}
