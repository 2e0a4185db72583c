using System.Diagnostics.Metrics;
using Palisade.Protocol;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Observability.Metrics;

/// <summary>
/// The first observer: counts every finished query in <see cref="System.Diagnostics.Metrics"/> instruments on the
/// server's <see cref="Meter"/>, for whatever exporter listens (none yet; Prometheus's comes with the observability
/// work). Counting allocates nothing: the tag values are strings made once, one per enum value.
/// </summary>
/// <remarks>
/// Instruments, in OpenTelemetry's naming style:
/// <list type="bullet">
/// <item><c>palisade.dns.queries</c>: answered queries, tagged <c>source</c> (upstream, cache, stale, blocked, error,
/// synthesized, ratelimited), <c>rcode</c> (NOERROR, NXDOMAIN, SERVFAIL, ...) and <c>transport</c> (udp, tcp, tls, https).</item>
/// <item><c>palisade.dns.dropped</c>: queries that got no answer, tagged <c>transport</c>.</item>
/// <item><c>palisade.dns.upstream.answers</c>: answers forwarded from an upstream, tagged <c>upstream</c>.</item>
/// </list>
/// </remarks>
public sealed class QueryMetrics : IQueryObserver
{
    public const string MeterName = "Palisade";

    private static readonly string[] Sources = Names<AnswerSource>(s => s.ToString().ToLowerInvariant());
    private static readonly string[] Transports = Names<DnsTransport>(t => t.ToString().ToLowerInvariant());
    private static readonly string[] ResponseCodes = ResponseCodeNames();

    private readonly Counter<long> _queries;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _upstreamAnswers;

    public QueryMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _queries = meter.CreateCounter<long>("palisade.dns.queries", "{query}", "Queries answered, by where the answer came from, its response code and the transport");
        _dropped = meter.CreateCounter<long>("palisade.dns.dropped", "{query}", "Queries that got no answer (shed under load, or the client went away)");
        _upstreamAnswers = meter.CreateCounter<long>("palisade.dns.upstream.answers", "{answer}", "Answers forwarded from each upstream");
    }

    public void OnQueryCompleted(in CompletedQuery query)
    {
        var transport = new KeyValuePair<string, object?>("transport", Name(Transports, (int)query.Transport));
        if (query.Dropped)
        {
            _dropped.Add(1, transport);
            return;
        }

        _queries.Add(
            1,
            new KeyValuePair<string, object?>("source", Name(Sources, (int)query.Source)),
            new KeyValuePair<string, object?>("rcode", Name(ResponseCodes, (int)query.ResponseCode)),
            transport);
        if (query.Upstream is { } upstream && _upstreamAnswers.Enabled)
        {
            // The upstream's text is made once per upstream (its options' ToString is cached there).
            _upstreamAnswers.Add(1, new KeyValuePair<string, object?>("upstream", upstream.Name));
        }
    }

    private static string Name(string[] names, int value) => (uint)value < (uint)names.Length ? names[value] : "other";

    private static string[] Names<T>(Func<T, string> name)
        where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        var names = new string[values.Max(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)) + 1];
        Array.Fill(names, "other");
        foreach (var value in values)
        {
            names[Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)] = name(value);
        }

        return names;
    }

    /// <summary>The four-bit header RCODEs by their mnemonic, as dig prints them (<c>NXDOMAIN</c>).</summary>
    private static string[] ResponseCodeNames() =>
        [.. Enumerable.Range(0, 16).Select(code => DnsPresentation.FormatResponseCode((DnsResponseCode)code))];
}
