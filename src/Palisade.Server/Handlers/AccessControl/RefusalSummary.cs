using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Palisade.Server.Configuration;

namespace Palisade.Server.Handlers.AccessControl;

/// <summary>
/// The trace that queries refused by access control leave at <c>info</c>: at most one line a minute, "Refused 12 queries
/// from 2 clients outside access.allow (first: 2001:db8:1::53); see access.allow", so that a phone turned away is seen
/// without a line per query (see <see cref="SummaryWindow{TExample}"/>). The clients are counted approximately
/// (<see cref="ApproximateDistinctCount"/>), by their address's hash code. Outlives reloads.
/// </summary>
public sealed partial class RefusalSummary : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly SummaryWindow<IPAddress> _window;

    public RefusalSummary(TimeProvider timeProvider, ILogger logger) =>
        _window = new SummaryWindow<IPAddress>(Interval, timeProvider, summary => Write(logger, summary));

    /// <summary>
    /// What the access control's action was: the summary says "Refused" or "Dropped". Set from the options in force.
    /// </summary>
    public AccessAction Action { get; set; }

    /// <summary>Counts one query turned away from <paramref name="client"/>; allocates nothing.</summary>
    public void Record(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (_window.WantsExample)
        {
            _window.OfferExample(client);
        }

        _window.Record(client.GetHashCode());
    }

    public void Dispose() => _window.Dispose();

    internal static string Plural(long count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? one : many)}");

    private void Write(ILogger logger, SummaryWindow<IPAddress>.Summary summary)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        string clients = summary.Distinct >= ApproximateDistinctCount.Saturated
            ? Plural(summary.Distinct, "client", "clients").Insert(0, "at least ")
            : Plural(summary.Distinct, "client", "clients");
        string verb = Action == AccessAction.Drop ? "Dropped" : "Refused";
        string queries = Plural(summary.Count, "query", "queries");
        LogRefused(logger, verb, queries, clients, summary.First);
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "{Verb} {Queries} from {Clients} outside access.allow (first: {First}); see access.allow")]
    private static partial void LogRefused(ILogger logger, string verb, string queries, string clients, IPAddress first);
}
