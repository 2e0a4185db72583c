using Palisade.Protocol;
using Palisade.Server.Configuration;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Handlers.RateLimit;

/// <summary>
/// Holds each client (prefix) to <c>rateLimit.queriesPerSecond</c> over UDP, with bursts up to <c>rateLimit.burst</c>.
/// Over the limit, a query is dropped, except every second one, which gets an empty answer with TC set (the "slip" of
/// response rate limiting): a forged flood is not reflected at its victim, while a real client whose address was
/// forged still gets through, over TCP. Left out of the chain when <c>rateLimit.queriesPerSecond</c> is 0.
/// </summary>
/// <remarks>
/// TCP, DNS over TLS and DNS over HTTPS are not limited, and do not count. A TCP client has completed a handshake, so
/// its address is real and its answers cannot be reflected at anyone else; it is where the slip sends a client, and
/// holding it to the same empty bucket would let a flood forged with a victim's address shut the victim out of TCP as
/// well. Load over TCP is bounded by the listeners instead: connections per listener and queries in flight per
/// connection. This is what BIND's and Knot's response rate limiting do too.
/// </remarks>
public sealed class RateLimitHandler : IQueryHandler
{
    private readonly ClientRateTable _table;
    private readonly IQueryHandler _next;

    public RateLimitHandler(RateLimitOptions options, TimeProvider timeProvider, IQueryHandler next)
        : this(new ClientRateTable(options, timeProvider), next)
    {
    }

    internal RateLimitHandler(ClientRateTable table, IQueryHandler next)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(next);
        _table = table;
        _next = next;
    }

    public ValueTask<QueryResult> HandleAsync(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Transport != DnsTransport.Udp)
        {
            return _next.HandleAsync(context);
        }

        return _table.Take(context.Client.Address) switch
        {
            RateDecision.Allow => _next.HandleAsync(context),
            RateDecision.Slip => ValueTask.FromResult(Slip(context)),
            _ => ValueTask.FromResult(QueryResult.Drop),
        };
    }

    /// <summary>
    /// The header and the question, NOERROR, no records, TC set: a client that gets it asks again over TCP
    /// (RFC 1035 s4.2.1, RFC 7766 s5). It is no larger than the query, so it amplifies nothing.
    /// </summary>
    private static QueryResult Slip(QueryContext context)
    {
        var error = ErrorResponses.Create(context, DnsResponseCode.NoError);
        byte[] buffer = error.Buffer!;
        DnsHeader.TryRead(buffer.AsSpan(0, error.Length), out var header);
        header.Truncated = true;
        header.WriteTo(buffer);
        return QueryResult.FromPooled(buffer, error.Length, AnswerSource.RateLimited);
    }
}
