using System.Buffers.Binary;
using System.Security.Cryptography;
using Palisade.Protocol;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// The query Palisade sends upstream for a client's question: a fresh ID from a cryptographic generator (RFC 5452 s9.2),
/// RD set, CD copied, the question, and an OPT record of ours (1232 octets, DO copied). The client's own EDNS options,
/// such as its subnet, are never passed on.
/// </summary>
public static class UpstreamQuery
{
    /// <summary>Largest upstream query: header, a 255-octet name, type, class and an empty OPT.</summary>
    public const int MaxLength = DnsConstants.HeaderSize + DnsConstants.MaxNameLength + 4 + DnsOptEditor.EmptyOptLength;

    /// <summary>Writes the query into <paramref name="destination"/> (give it <see cref="MaxLength"/> octets).</summary>
    /// <returns>The query's length.</returns>
    public static int Write(Span<byte> destination, in UpstreamQuestion question)
    {
        var header = new DnsHeader
        {
            Id = NewId(),
            RecursionDesired = true,
            CheckingDisabled = question.CheckingDisabled,
            QuestionCount = 1,
        };
        var writer = new DnsMessageWriter(destination);
        writer.WriteHeader(header);
        writer.WriteBytes(question.Name.Span);
        writer.WriteUInt16((ushort)question.Type);
        writer.WriteUInt16((ushort)question.Class);
        int length = writer.Position;
        if (writer.HasOverflowed || !DnsOptEditor.TryAppendOpt(destination, ref length, DnsConstants.AdvertisedUdpPayloadSize, question.DnssecOk))
        {
            throw new ArgumentException("The destination is too small for the query.", nameof(destination));
        }

        return length;
    }

    /// <summary>Gives the query a new random ID, as every retry must have (RFC 5452 s9.2).</summary>
    public static void Renumber(Span<byte> query) => BinaryPrimitives.WriteUInt16BigEndian(query, NewId());

    /// <summary>
    /// Does <paramref name="response"/> answer <paramref name="query"/>: a response, same ID, one question with the same
    /// name (ignoring case), type and class (RFC 5452 s9.1)? Anything else is ignored while waiting.
    /// </summary>
    public static bool Matches(ReadOnlySpan<byte> query, ReadOnlySpan<byte> response) =>
        Compare(query, response) != QuestionMatch.None;

    /// <summary>
    /// How <paramref name="response"/> answers <paramref name="query"/>: not at all (not a response, another ID, or
    /// another question), with the question's name octet for octet, or with the name in another letter case.
    /// </summary>
    public static QuestionMatch Compare(ReadOnlySpan<byte> query, ReadOnlySpan<byte> response)
    {
        if (!DnsHeader.TryRead(response, out var header) || !header.IsResponse || header.QuestionCount != 1 ||
            BinaryPrimitives.ReadUInt16BigEndian(query) != header.Id)
        {
            return QuestionMatch.None;
        }

        Span<byte> queryName = stackalloc byte[DnsConstants.MaxNameLength];
        Span<byte> responseName = stackalloc byte[DnsConstants.MaxNameLength];
        var queryReader = new DnsMessageReader(query) { Position = DnsConstants.HeaderSize };
        var responseReader = new DnsMessageReader(response) { Position = DnsConstants.HeaderSize };
        if (!queryReader.TryReadQuestion(queryName, out var asked) ||
            !responseReader.TryReadQuestion(responseName, out var answered) ||
            asked.Type != answered.Type || asked.Class != answered.Class)
        {
            return QuestionMatch.None;
        }

        var sent = queryName[..asked.NameLength];
        var received = responseName[..answered.NameLength];
        return sent.SequenceEqual(received) ? QuestionMatch.Exact
            : EqualsIgnoringLetterCase(sent, received) ? QuestionMatch.CaseDiffers
            : QuestionMatch.None;
    }

    /// <summary>
    /// Randomises the letter case of the question name of <paramref name="query"/> in place (DNS 0x20): each ASCII
    /// letter is upper or lower case by a bit from a cryptographic generator. Other octets are left alone. The name must
    /// be uncompressed at offset 12, as <see cref="Write"/> writes it.
    /// </summary>
    public static void RandomizeCase(Span<byte> query)
    {
        Span<byte> bits = stackalloc byte[(DnsConstants.MaxNameLength + 7) / 8];
        RandomNumberGenerator.Fill(bits);
        int at = DnsConstants.HeaderSize;
        int end = Math.Min(query.Length, DnsConstants.HeaderSize + DnsConstants.MaxNameLength);
        while (at < end && query[at] is > 0 and <= 63)
        {
            int labelEnd = Math.Min(at + 1 + query[at], end);
            for (int i = at + 1; i < labelEnd; i++)
            {
                byte b = query[i];
                if ((uint)((b | 0x20) - 'a') <= 'z' - 'a')
                {
                    int bit = i - DnsConstants.HeaderSize;
                    query[i] = (bits[bit >> 3] & (1 << (bit & 7))) != 0 ? (byte)(b | 0x20) : (byte)(b & ~0x20);
                }
            }

            at = labelEnd;
        }
    }

    /// <summary>Equal but for the case of A-Z (a name may hold any octet; only letters fold).</summary>
    public static bool EqualsIgnoringLetterCase(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (int i = 0; i < left.Length; i++)
        {
            if (left[i] != right[i] && ((left[i] ^ right[i]) != 0x20 || (uint)((left[i] | 0x20) - 'a') > 'z' - 'a'))
            {
                return false;
            }
        }

        return true;
    }

    private static ushort NewId()
    {
        Span<byte> id = stackalloc byte[2];
        RandomNumberGenerator.Fill(id);
        return BinaryPrimitives.ReadUInt16BigEndian(id);
    }
}

/// <summary>How an answer's question compares with the query's (see <see cref="UpstreamQuery.Compare"/>).</summary>
public enum QuestionMatch
{
    /// <summary>Not an answer to the query.</summary>
    None,

    /// <summary>The same question, the name octet for octet.</summary>
    Exact,

    /// <summary>The same question but for the letter case of the name.</summary>
    CaseDiffers,
}
