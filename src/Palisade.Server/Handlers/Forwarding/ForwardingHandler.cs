using System.Buffers;
using Palisade.Protocol;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Server.Handlers.Forwarding;

/// <summary>
/// The end of the chain: asks the upstreams and returns their answer as the client's (its ID and question case, the
/// upstream's OPT taken out), or SERVFAIL with Extended DNS Error 22 (No Reachable Authority) when none answered.
/// </summary>
public sealed class ForwardingHandler(UpstreamResolver resolver) : IQueryHandler
{
    public async ValueTask<QueryResult> HandleAsync(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Overloaded)
        {
            return QueryResult.Drop;
        }

        UpstreamAnswer? answer;
        try
        {
            answer = await resolver.ResolveAsync(ToUpstreamQuestion(context), context.Cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            return QueryResult.Drop;
        }

        return answer is null
            ? ErrorResponses.Create(context, DnsResponseCode.ServerFailure, ExtendedDnsErrorCode.NoReachableAuthority)
            : Answered(context, answer);
    }

    private static QueryResult Answered(QueryContext context, UpstreamAnswer answer)
    {
        context.AnsweredBy = answer.Upstream;
        return AsClientAnswer(context, answer.Message);
    }

    /// <summary>The question as the upstreams are asked it.</summary>
    public static UpstreamQuestion ToUpstreamQuestion(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new UpstreamQuestion(
            context.QuestionName.ToArray(),
            context.Question.Type,
            context.Question.Class,
            context.DnssecOk,
            context.Header.CheckingDisabled);
    }

    /// <summary>
    /// Copies an upstream answer, scrubbed of records that do not answer its question (<see cref="AnswerScrubber"/>), into a
    /// pooled buffer and makes it the client's: its ID, its question's case, no OPT.
    /// </summary>
    public static QueryResult AsClientAnswer(QueryContext context, ReadOnlySpan<byte> answer, AnswerSource source = AnswerSource.Upstream)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Scrubbed before the cache stores it and the client sees it: the records that do not answer the question are
        // what a poisoning answer carries (see AnswerScrubber).
        var scrub = AnswerScrubber.Scrub(answer, out byte[]? scrubbed, out int length);
        if (scrub == ScrubResult.Malformed)
        {
            return ErrorResponses.Create(context, DnsResponseCode.ServerFailure, ExtendedDnsErrorCode.InvalidData);
        }

        byte[] buffer;
        if (scrubbed is not null)
        {
            buffer = scrubbed;
        }
        else
        {
            buffer = ArrayPool<byte>.Shared.Rent(answer.Length + DnsOptEditor.EmptyOptLength + 6);
            answer.CopyTo(buffer);
        }

        if (!DnsOptEditor.TryRemoveOpt(buffer, ref length))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return ErrorResponses.Create(context, DnsResponseCode.ServerFailure, ExtendedDnsErrorCode.InvalidData);
        }

        DnsMessagePatcher.SetId(buffer, context.Header.Id);
        DnsMessagePatcher.TryCopyQuestionCase(buffer, context.Query.Span);

        // We recurse for the client (RA), and we are not the authority for what we pass on (AA off), as Unbound does.
        buffer[3] |= 0x80;
        buffer[2] &= 0xFB;
        return QueryResult.FromPooled(buffer, length, source);
    }
}
