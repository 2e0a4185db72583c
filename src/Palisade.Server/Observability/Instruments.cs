using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Palisade.Server.Handlers.AccessControl;
using Palisade.Server.Handlers.Rebinding;
using Palisade.Server.Observability.Metrics;

namespace Palisade.Server.Observability;

/// <summary>
/// What watches the server for as long as it runs, across reloads: the meter and the query observers every pipeline
/// generation is built with, and the once-a-minute summaries of refused queries and stopped answers. The query log and
/// statistics join <see cref="Observers"/> here when they arrive.
/// </summary>
internal sealed class Instruments : IDisposable
{
    public Instruments(TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        Meter = new Meter(QueryMetrics.MeterName, typeof(Instruments).Assembly.GetName().Version?.ToString());
        Observers = [new QueryMetrics(Meter)];
        Refusals = new RefusalSummary(timeProvider, loggerFactory.CreateLogger<RefusalSummary>());
        Stopped = new RebindingSummary(timeProvider, loggerFactory.CreateLogger<RebindingSummary>());
    }

    public Meter Meter { get; }

    public IReadOnlyList<IQueryObserver> Observers { get; }

    /// <summary>Queries turned away by access control, summed up once a minute.</summary>
    public RefusalSummary Refusals { get; }

    /// <summary>Answers stopped by rebinding protection, summed up once a minute.</summary>
    public RebindingSummary Stopped { get; }

    public void Dispose()
    {
        Refusals.Dispose();
        Stopped.Dispose();
        Meter.Dispose();
    }
}
