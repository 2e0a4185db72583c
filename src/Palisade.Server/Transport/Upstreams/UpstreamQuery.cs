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
    public static bool Matches(ReadOnlySpan<byte> query, ReadOnlySpan<byte> response)
    {
        if (!DnsHeader.TryRead(response, out var header) || !header.IsResponse || header.QuestionCount != 1 ||
            BinaryPrimitives.ReadUInt16BigEndian(query) != header.Id)
        {
            return false;
        }

        Span<byte> queryName = stackalloc byte[DnsConstants.MaxNameLength];
        Span<byte> responseName = stackalloc byte[DnsConstants.MaxNameLength];
        var queryReader = new DnsMessageReader(query) { Position = DnsConstants.HeaderSize };
        var responseReader = new DnsMessageReader(response) { Position = DnsConstants.HeaderSize };
        return queryReader.TryReadQuestion(queryName, out var asked) &&
            responseReader.TryReadQuestion(responseName, out var answered) &&
            asked.Type == answered.Type && asked.Class == answered.Class &&
            System.Text.Ascii.EqualsIgnoreCase(queryName[..asked.NameLength], responseName[..answered.NameLength]);
    }

    private static ushort NewId()
    {
        Span<byte> id = stackalloc byte[2];
        RandomNumberGenerator.Fill(id);
        return BinaryPrimitives.ReadUInt16BigEndian(id);
    }
}
