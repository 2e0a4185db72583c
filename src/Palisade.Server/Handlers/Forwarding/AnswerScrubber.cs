using System.Buffers;
using System.Buffers.Binary;
using Palisade.Protocol;

namespace Palisade.Server.Handlers.Forwarding;

/// <summary>
/// Removes from an upstream answer the records that do not answer its question, before it is cached or returned (as
/// Unbound's scrubber does against the spoofing RFC 5452 describes: data outside the question's bailiwick is the payload of
/// cache poisoning). RFC 2181 s5.4.1 ranks the answer section's data for the question's name (and the CNAME chain)
/// above anything else a response carries; the rest is at best hints, which a forwarder serving stub resolvers has no
/// use for. Kept:
/// <list type="bullet">
/// <item>answer: records owned by the question's name or a name reached from it through CNAME records (followed in
/// any order, at most <see cref="MaxChainLength"/> names, not when the question is for CNAME itself), and DNAME records
/// (and their RRSIGs) owned by an ancestor of such a name. A DNAME is not synthesized here: its target is reached
/// through the CNAME the upstream synthesizes with it (RFC 6672 s3.4), as every resolver sends one;</item>
/// <item>authority: SOA and NS records owned by the question's name, an ancestor of it, or of a name of its chain (in
/// bailiwick; the SOA is what negative caching needs, RFC 2308 s5), and the DNSSEC proof records (NSEC, NSEC3, RRSIG)
/// owned by a name at or below the owner of such a kept SOA or NS, so that a validating client can still check denials;</item>
/// <item>additional: OPT, and the addresses (and other records) of a name that a kept NS, MX or SRV record points to
/// (glue). Everything else there is dropped: a stub resolver does not need it.</item>
/// </list>
/// Nothing is allocated or copied when every record is kept, the common case. Otherwise the kept records are read
/// and written anew, their names decompressed and compressed again, since a kept record may point into a dropped one.
/// <para>
/// The cost is linear in the size of the answer, which an upstream chooses (64 KB hold about 6,000 records): the CNAME
/// chain is followed in at most <see cref="MaxChainLength"/> walks of the answer section, <see cref="ScrubRules"/>
/// gathers the kept zones and glue targets in one walk, one more marks each record kept or not, and a last one, only
/// when some are dropped, writes the kept ones.
/// </para>
/// </summary>
public static class AnswerScrubber
{
    /// <summary>The most names of a CNAME chain followed, the question's name included.</summary>
    public const int MaxChainLength = 16;

    /// <summary>The smallest record: a root owner, then TYPE, CLASS, TTL and RDLENGTH, with no data.</summary>
    private const int MinRecordLength = 11;

    /// <summary>Words of marks on the stack: one bit a record, enough for any message of up to 64 KB.</summary>
    private const int StackMarkWords = ((DnsConstants.MaxMessageSize / MinRecordLength) + 64) / 64;

    /// <summary>Ints of glue table on the stack: 32 NS, MX or SRV records; larger answers rent theirs.</summary>
    private const int StackGlueInts = 3 * 64;

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

        Span<byte> question = stackalloc byte[DnsConstants.MaxNameLength];
        var reader = new DnsMessageReader(response) { Position = DnsConstants.HeaderSize };
        if (!TryReadLowerName(ref reader, response.Length, question, out int nameLength) || reader.Remaining < 4)
        {
            return ScrubResult.Malformed;
        }

        var chain = new WireNameSet(stackalloc byte[MaxChainLength * WireNameSet.SlotSize]);
        chain.TryAdd(question[..nameLength]);
        var questionType = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(response[reader.Position..]);
        FollowChain(response, questionType, ref chain);

        // What the header claims, bounded by what the octets can hold.
        int records = Math.Min(header.AnswerCount + header.AuthorityCount + header.AdditionalCount, (response.Length / MinRecordLength) + 1);
        int glueCandidates = Math.Min(header.AnswerCount + header.AuthorityCount, records);
        int glueInts = GlueTargets.TableLength(glueCandidates);
        int markWords = (records + 63) / 64;
        int[]? rentedGlue = glueInts > StackGlueInts ? ArrayPool<int>.Shared.Rent(glueInts) : null;
        ulong[]? rentedMarks = markWords > StackMarkWords ? ArrayPool<ulong>.Shared.Rent(markWords) : null;
        try
        {
            // Sized for this answer: a few hundred octets for a common one.
            Span<int> glue = rentedGlue is null ? stackalloc int[glueInts] : rentedGlue.AsSpan(0, glueInts);
            Span<ulong> marks = rentedMarks is null ? stackalloc ulong[markWords] : rentedMarks.AsSpan(0, markWords);
            glue.Clear();
            marks.Clear();

            // The zones kept are each an ancestor of a name of the chain, and the set keeps the topmost only: one a name at most.
            var rules = new ScrubRules(
                response,
                chain,
                new WireNameSet(stackalloc byte[chain.Count * WireNameSet.SlotSize]),
                new GlueTargets(response, glue, glueCandidates));
            rules.Collect();

            int kept = 0;
            int total = 0;
            var walker = new DnsRecordWalker(response);
            while (walker.TryNext(out var slot))
            {
                if (rules.Keep(slot))
                {
                    marks[total >> 6] |= 1UL << total;
                    kept++;
                }

                total++;
            }

            if (walker.Error != DnsReadError.None)
            {
                return ScrubResult.Malformed;
            }

            return kept == total ? ScrubResult.Unchanged : Rewrite(response, marks, out scrubbed, out length);
        }
        finally
        {
            if (rentedGlue is not null)
            {
                ArrayPool<int>.Shared.Return(rentedGlue);
            }

            if (rentedMarks is not null)
            {
                ArrayPool<ulong>.Shared.Return(rentedMarks);
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="chain"/> the names reached from the question's through CNAMEs, in any order: at each step
    /// the first CNAME of the answer section owned by the last name that leads to a name not yet in the chain.
    /// </summary>
    private static void FollowChain(ReadOnlySpan<byte> response, DnsRecordType questionType, ref WireNameSet chain)
    {
        if (questionType == DnsRecordType.CNAME)
        {
            return;
        }

        Span<byte> owner = stackalloc byte[DnsConstants.MaxNameLength];
        Span<byte> target = stackalloc byte[DnsConstants.MaxNameLength];
        while (chain.Count < MaxChainLength)
        {
            var current = chain[chain.Count - 1];
            bool found = false;
            var walker = new DnsRecordWalker(response);
            while (!found && walker.TryNext(out var slot) && slot.Section == DnsRecordSlot.AnswerSection)
            {
                if (slot.Type != DnsRecordType.CNAME ||
                    !TryReadLowerName(response, slot.NameOffset, response.Length, owner, out int ownerLength) ||
                    !owner[..ownerLength].SequenceEqual(current))
                {
                    continue;
                }

                found = TryReadLowerName(response, slot.DataOffset, slot.DataOffset + slot.DataLength, target, out int targetLength) &&
                    chain.TryAdd(target[..targetLength]);
            }

            if (!found)
            {
                break;
            }
        }
    }

    /// <summary>Writes the header, the question and the records marked kept into a pooled buffer.</summary>
    private static ScrubResult Rewrite(ReadOnlySpan<byte> response, ReadOnlySpan<ulong> marks, out byte[]? scrubbed, out int length)
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
            int index = 0;
            var walker = new DnsRecordWalker(response);
            while (walker.TryNext(out var slot))
            {
                // Every record is read, the dropped ones too: one whose data its type's reader refuses makes the
                // answer malformed, kept or not.
                reader.Position = slot.NameOffset;
                var record = reader.ReadRecord();
                if ((marks[index >> 6] & (1UL << index)) != 0)
                {
                    writer.WriteRecord(record);
                    counts[slot.Section]++;
                }

                index++;
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

    /// <summary>
    /// Reads the name at <paramref name="offset"/>, which must end before <paramref name="end"/>, into
    /// <paramref name="destination"/> (255 octets) in lower case.
    /// </summary>
    internal static bool TryReadLowerName(ReadOnlySpan<byte> message, int offset, int end, Span<byte> destination, out int length)
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

        WireNames.ToLowerInPlace(destination[..length]);
        return true;
    }
}
