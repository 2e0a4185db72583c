using System.Buffers;
using System.Buffers.Binary;
using Palisade.Protocol;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Handlers.AnyQuery;

/// <summary>
/// Answers a query of type ANY itself, with the minimal answer of RFC 8482 s4.2: one synthesized HINFO record for the
/// question's name, CPU "RFC8482" and OS the empty string. ANY is not forwarded: its answers are large, it is a favourite
/// of reflection attacks, and no client may rely on it to return every RRset (RFC 8482 s7). RFC 8482 s4.4 lets TCP
/// queries have the full answer; they get the same, so that the transport does not change what a name looks like.
/// </summary>
public sealed class AnyQueryHandler(IQueryHandler next) : IQueryHandler
{
    /// <summary>The TTL of the synthesized HINFO record: the hour RFC 8482 s4.2 suggests.</summary>
    public const uint Ttl = 3600;

    /// <summary>The HINFO RDATA: the character-string "RFC8482" (CPU), then the empty one (OS) (RFC 1035 s3.3.2).</summary>
    private static ReadOnlySpan<byte> HinfoData => [7, (byte)'R', (byte)'F', (byte)'C', (byte)'8', (byte)'4', (byte)'8', (byte)'2', 0];

    public ValueTask<QueryResult> HandleAsync(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Question.Type == DnsRecordType.ANY
            ? ValueTask.FromResult(CreateAnswer(context))
            : next.HandleAsync(context);
    }

    /// <summary>The RFC 8482 answer: the query's question, and a HINFO record owned by it through a pointer to it.</summary>
    public static QueryResult CreateAnswer(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Query.Span;

        // Validation has read the question: its name starts right after the header and is not compressed.
        int questionEnd = context.Question.NameOffset + QuestionNameWireLength(query, context.Question.NameOffset) + 4;
        var header = DnsResponseFactory.ResponseHeader(context.Header);
        header.QuestionCount = 1;
        header.AnswerCount = 1;

        int length = questionEnd + 2 + 10 + HinfoData.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length + DnsOptEditor.EmptyOptLength + 6);
        var span = buffer.AsSpan();
        header.WriteTo(span);
        query[DnsConstants.HeaderSize..questionEnd].CopyTo(span[DnsConstants.HeaderSize..]);

        // QCLASS ANY (or NONE) names no class a record could have; the record is then in IN.
        var recordClass = context.Question.Class is DnsClass.Any or DnsClass.None ? DnsClass.IN : context.Question.Class;
        int at = questionEnd;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)(0xC000 | context.Question.NameOffset));
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 2)..], (ushort)DnsRecordType.HINFO);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 4)..], (ushort)recordClass);
        BinaryPrimitives.WriteUInt32BigEndian(span[(at + 6)..], Ttl);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 10)..], (ushort)HinfoData.Length);
        HinfoData.CopyTo(span[(at + 12)..]);
        return QueryResult.FromPooled(buffer, length, AnswerSource.Synthesized);
    }

    private static int QuestionNameWireLength(ReadOnlySpan<byte> message, int offset)
    {
        var reader = new DnsMessageReader(message) { Position = offset };
        reader.SkipName();
        return reader.Position - offset;
    }
}
