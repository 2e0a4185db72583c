using Palisade.Protocol;
using Palisade.Server.Blocklists;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Handlers.Blocking;

/// <summary>
/// Blocks listed names. It sits before the cache, so that a new set of lists applies at once. With CNAME inspection,
/// an answer (from the cache or upstream) is blocked too when any CNAME target in its chain is blocked: trackers hide
/// behind CNAMEs of innocent-looking names.
/// </summary>
public sealed class BlockingHandler(Func<BlocklistSet> currentSet, BlockedResponse response, bool cnameInspection, IQueryHandler next) : IQueryHandler
{
    public ValueTask<QueryResult> HandleAsync(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var set = currentSet();
        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        WireNames.ToLower(context.QuestionName, name);
        if (set.IsBlocked(name[..context.QuestionName.Length]))
        {
            context.BlockedBy = set;
            return ValueTask.FromResult(response.Create(context));
        }

        return cnameInspection ? InspectAsync(context, set) : next.HandleAsync(context);
    }

    private async ValueTask<QueryResult> InspectAsync(QueryContext context, BlocklistSet set)
    {
        var result = await next.HandleAsync(context).ConfigureAwait(false);
        if (result.IsDrop || result.ResponseCode != DnsResponseCode.NoError || !HasBlockedCnameTarget(result.Response, set))
        {
            return result;
        }

        result.Release();
        context.BlockedBy = set;
        return response.Create(context);
    }

    /// <summary>Does the answer section hold a CNAME whose target is blocked?</summary>
    private static bool HasBlockedCnameTarget(ReadOnlySpan<byte> message, BlocklistSet set)
    {
        Span<byte> target = stackalloc byte[DnsConstants.MaxNameLength];
        var walker = new DnsRecordWalker(message);
        while (walker.TryNext(out var slot) && slot.Section == DnsRecordSlot.AnswerSection)
        {
            if (slot.Type != DnsRecordType.CNAME)
            {
                continue;
            }

            var reader = new DnsMessageReader(message) { Position = slot.DataOffset };
            if (reader.TryReadName(target, out int length, out _))
            {
                WireNames.ToLowerInPlace(target[..length]);
                if (set.IsBlocked(target[..length]))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
