using System.Net;
using Palisade.Protocol;
using Palisade.Server.Blocklists;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Server.Observability;

/// <summary>
/// One finished query, as the observers see it: who asked what over which transport, what was answered, where the
/// answer came from and how long it took. A <c>ref struct</c> over the query's own buffers, so that handing it to the
/// observers copies nothing; valid only during <see cref="IQueryObserver.OnQueryCompleted"/>.
/// </summary>
public readonly ref struct CompletedQuery
{
    /// <summary>The question's name in uncompressed wire form, in the client's letter case (empty for no question).</summary>
    public required ReadOnlySpan<byte> Name { get; init; }

    public required DnsRecordType Type { get; init; }

    public required IPEndPoint Client { get; init; }

    public required DnsTransport Transport { get; init; }

    /// <summary>The clock the server runs on (read only when an observer asks for <see cref="Time"/> or <see cref="Duration"/>).</summary>
    public required TimeProvider Clock { get; init; }

    /// <summary>When the listener received the query (<see cref="TimeProvider.GetTimestamp"/>), 0 when unknown.</summary>
    public required long ReceivedTimestamp { get; init; }

    /// <summary>When the query finished: now, since observers are called as it finishes. Read on demand, so that an
    /// observer that does not need the time (the metrics counters) costs no clock read.</summary>
    public DateTimeOffset Time => Clock.GetUtcNow();

    /// <summary>From the listener's receipt of the query to its answer (or drop), read on demand like <see cref="Time"/>.</summary>
    public TimeSpan Duration => ReceivedTimestamp == 0 ? TimeSpan.Zero : Clock.GetElapsedTime(ReceivedTimestamp);

    /// <summary>True when nothing is sent back (an overloaded server shedding an upstream-bound query, a client gone).</summary>
    public required bool Dropped { get; init; }

    /// <summary>Where the answer came from; meaningless when <see cref="Dropped"/>.</summary>
    public required AnswerSource Source { get; init; }

    public required DnsResponseCode ResponseCode { get; init; }

    public required ExtendedDnsErrorCode? ExtendedError { get; init; }

    /// <summary>The upstream that answered, when this query was forwarded (null for a cached, blocked or made answer).</summary>
    public required Upstream? Upstream { get; init; }

    /// <summary>
    /// The blocklist set that blocked the name (or a CNAME target in its answer), null otherwise. The set is an immutable
    /// snapshot: an observer that wants the rule, list and line asks it (<see cref="BlocklistSet.Decide"/>) off the
    /// query's path, and gets the answer that held when the query was blocked.
    /// </summary>
    public required BlocklistSet? BlockedBy { get; init; }
}
