using System.Buffers.Binary;
using Palisade.Protocol;

namespace Palisade.Server.Caching;

/// <summary>
/// Builds the response cache's key straight from a query's octets, allocating nothing: the question name in
/// uncompressed wire form and lower case, then QTYPE and QCLASS (big-endian), then one octet of flags, DO
/// (<see cref="DnssecOkFlag"/>) and CD (<see cref="CheckingDisabledFlag"/>).
/// </summary>
/// <remarks>
/// DO separates answers with and without DNSSEC records (RFC 3225 s3). CD is in the key too: an upstream that validates
/// answers a CD query with data it would have refused (RFC 4035 s3.2.2), which must not reach clients that did not
/// ask to check for themselves.
/// </remarks>
public static class CacheKey
{
    /// <summary>The longest key: a 255-octet name, QTYPE, QCLASS and the flags octet.</summary>
    public const int MaxLength = DnsConstants.MaxNameLength + 5;

    /// <summary>The shortest key: the root name, QTYPE, QCLASS and the flags octet.</summary>
    public const int MinLength = 1 + 5;

    /// <summary>Set in the last octet when the query has an OPT record with DO set.</summary>
    public const byte DnssecOkFlag = 0x01;

    /// <summary>Set in the last octet when the query has CD set.</summary>
    public const byte CheckingDisabledFlag = 0x02;

    /// <summary>Writes the key of <paramref name="query"/> into <paramref name="destination"/>.</summary>
    /// <param name="query">A query (or response) in wire form.</param>
    /// <param name="destination">At least <see cref="MaxLength"/> octets.</param>
    /// <param name="length">The key's length.</param>
    /// <returns>false when the message is malformed, is not a standard query (OPCODE 0) or has other than one question.</returns>
    public static bool TryCreate(ReadOnlySpan<byte> query, Span<byte> destination, out int length)
    {
        if (!TryWriteQuestion(query, destination, out int questionLength, out int questionEnd))
        {
            length = 0;
            return false;
        }

        byte flags = (query[3] & 0x10) != 0 ? CheckingDisabledFlag : (byte)0;
        if (HasDnssecOk(query, questionEnd))
        {
            flags |= DnssecOkFlag;
        }

        destination[questionLength] = flags;
        length = questionLength + 1;
        return true;
    }

    /// <summary>
    /// Writes the key of a question given in parts (the upstream resolver's coalescing uses the same key as the cache, so
    /// that "the same question" means one thing in both): the name lower-cased, QTYPE, QCLASS, the flags octet.
    /// </summary>
    /// <param name="name">The name in uncompressed wire form, in any letter case.</param>
    /// <param name="type">QTYPE.</param>
    /// <param name="class">QCLASS.</param>
    /// <param name="dnssecOk">The DO bit of the query's OPT record.</param>
    /// <param name="checkingDisabled">The CD bit.</param>
    /// <param name="destination">At least <see cref="MaxLength"/> octets.</param>
    /// <returns>The key's length.</returns>
    public static int Write(ReadOnlySpan<byte> name, DnsRecordType type, DnsClass @class, bool dnssecOk, bool checkingDisabled, Span<byte> destination)
    {
        if (name.Length > DnsConstants.MaxNameLength || destination.Length < name.Length + 5)
        {
            throw new ArgumentException($"A cache key needs {name.Length + 5} octets for a name of at most {DnsConstants.MaxNameLength}.", nameof(destination));
        }

        WireNames.ToLower(name, destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[name.Length..], (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(name.Length + 2)..], (ushort)@class);
        destination[name.Length + 4] = (byte)((dnssecOk ? DnssecOkFlag : 0) | (checkingDisabled ? CheckingDisabledFlag : 0));
        return name.Length + 5;
    }

    /// <summary>
    /// Writes the key without its flags octet: the lower-cased question name, QTYPE and QCLASS. What a response's
    /// question must equal for the response to be stored under a key.
    /// </summary>
    internal static bool TryWriteQuestion(ReadOnlySpan<byte> message, Span<byte> destination, out int length) =>
        TryWriteQuestion(message, destination, out length, out _);

    private static bool TryWriteQuestion(ReadOnlySpan<byte> message, Span<byte> destination, out int length, out int questionEnd)
    {
        questionEnd = 0;
        if (destination.Length < MaxLength)
        {
            throw new ArgumentException($"A cache key needs {MaxLength} octets.", nameof(destination));
        }

        length = 0;
        if (!DnsHeader.TryRead(message, out var header) || header.QuestionCount != 1 || header.Opcode != DnsOpcode.Query)
        {
            return false;
        }

        var reader = new DnsMessageReader(message) { Position = DnsConstants.HeaderSize };
        if (!reader.TryReadQuestion(destination, out var question))
        {
            return false;
        }

        int nameLength = question.NameLength;
        WireNames.ToLowerInPlace(destination[..nameLength]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[nameLength..], (ushort)question.Type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(nameLength + 2)..], (ushort)question.Class);
        length = nameLength + 4;
        questionEnd = reader.Position;
        return true;
    }

    /// <summary>
    /// Whether the message's OPT record has DO set. A query's OPT is nearly always the record right after the question
    /// (no answers or authorities, OPT first in the additional section), which is read directly; any other shape is
    /// walked with <see cref="DnsMessageInspector.TryGetOpt"/>.
    /// </summary>
    private static bool HasDnssecOk(ReadOnlySpan<byte> message, int questionEnd)
    {
        // ARCOUNT: without additional records there is no OPT to look for.
        if ((message[10] | message[11]) == 0)
        {
            return false;
        }

        // No answers nor authorities, and at the question's end a root owner name and TYPE 41: the OPT, whose
        // TTL field is extended RCODE, version, then the flags with DO on top (RFC 6891 s6.1.3).
        if ((message[6] | message[7] | message[8] | message[9]) == 0 &&
            message.Length - questionEnd >= 11 &&
            message[questionEnd] == 0 &&
            BinaryPrimitives.ReadUInt16BigEndian(message[(questionEnd + 1)..]) == (ushort)DnsRecordType.OPT)
        {
            return (message[questionEnd + 7] & 0x80) != 0;
        }

        return DnsMessageInspector.TryGetOpt(message, out var opt) && opt.DnssecOk;
    }
}
