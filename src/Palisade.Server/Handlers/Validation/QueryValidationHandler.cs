using Palisade.Protocol;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Handlers.Validation;

/// <summary>
/// The first step: only a well-formed standard query goes further. The listener has already dropped what has no
/// readable header or is itself a response. Here: an opcode other than QUERY gets NOTIMP (RFC 1035 s4.1.1), a
/// QDCOUNT other than 1 or an unreadable question or OPT gets FORMERR (RFC 7766/RFC 9619), an EDNS version above 0
/// gets BADVERS (RFC 6891 s6.1.3). The question and EDNS facts are read once, into the context.
/// </summary>
public sealed class QueryValidationHandler(IQueryHandler next) : IQueryHandler
{
    public ValueTask<QueryResult> HandleAsync(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Query.Span;
        var header = context.Header;

        if (DnsMessageInspector.TryGetOpt(query, out var opt))
        {
            context.HasEdns = true;
            context.DnssecOk = opt.DnssecOk;
            context.MaxUdpResponseSize = Math.Min(opt.EffectiveUdpPayloadSize, DnsConstants.AdvertisedUdpPayloadSize);
        }

        if (header.Opcode != DnsOpcode.Query)
        {
            return ValueTask.FromResult(ErrorResponses.Create(context, DnsResponseCode.NotImplemented));
        }

        if (header.QuestionCount != 1)
        {
            return ValueTask.FromResult(ErrorResponses.Create(context, DnsResponseCode.FormatError));
        }

        var reader = new DnsMessageReader(query) { Position = DnsConstants.HeaderSize };
        if (!reader.TryReadQuestion(context.NameBuffer, out var question))
        {
            return ValueTask.FromResult(ErrorResponses.Create(context, DnsResponseCode.FormatError));
        }

        context.Question = question;

        // The rest must frame correctly too: a query whose records run past its end, or that has two OPTs, is malformed.
        if (!FramesCorrectly(query))
        {
            return ValueTask.FromResult(ErrorResponses.Create(context, DnsResponseCode.FormatError));
        }

        if (context.HasEdns && opt.Version > 0)
        {
            return ValueTask.FromResult(ErrorResponses.Create(context, DnsResponseCode.BadVersion));
        }

        return next.HandleAsync(context);
    }

    private static bool FramesCorrectly(ReadOnlySpan<byte> query)
    {
        var walker = new DnsRecordWalker(query);
        int opts = 0;
        while (walker.TryNext(out var slot))
        {
            if (slot.Type == DnsRecordType.OPT && (++opts > 1 || slot.Section != DnsRecordSlot.AdditionalSection))
            {
                return false;
            }
        }

        return walker.Error == DnsReadError.None && walker.Position == query.Length;
    }
}
