using System.Buffers;
using Palisade.Protocol;

namespace Palisade.Server.Pipeline;

/// <summary>Writes error answers (FORMERR, NOTIMP, SERVFAIL, REFUSED...) from the query's own octets, without an OPT record.</summary>
public static class ErrorResponses
{
    /// <summary>
    /// A response with <paramref name="code"/>'s low four bits, echoing ID, opcode, RD and CD, and the question when
    /// validation could read it.
    /// </summary>
    public static QueryResult Create(QueryContext context, DnsResponseCode code, ExtendedDnsErrorCode? extendedError = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Query.Span;
        int questionEnd = DnsConstants.HeaderSize;
        var header = DnsResponseFactory.ResponseHeader(context.Header);
        header.ResponseCodeLow = (byte)((ushort)code & 0xF);
        if (context.Question.NameLength > 0)
        {
            questionEnd = context.Question.NameOffset + QuestionWireLength(query, context.Question.NameOffset) + 4;
            header.QuestionCount = 1;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(questionEnd + DnsOptEditor.EmptyOptLength + 6);
        header.WriteTo(buffer);
        query[DnsConstants.HeaderSize..questionEnd].CopyTo(buffer.AsSpan(DnsConstants.HeaderSize));
        return QueryResult.FromPooled(buffer, questionEnd, AnswerSource.Error, extendedError).WithResponseCodeHigh((byte)((ushort)code >> 4));
    }

    /// <summary>Octets the name at <paramref name="offset"/> occupies in the message (validation checked it).</summary>
    private static int QuestionWireLength(ReadOnlySpan<byte> message, int offset)
    {
        var reader = new DnsMessageReader(message) { Position = offset };
        reader.SkipName();
        return reader.Position - offset;
    }
}
