using System.Diagnostics.Metrics;
using Palisade.Server.Observability.Metrics;

namespace Palisade.Server.Observability;

/// <summary>
/// The observers that live as long as the server, across reloads: every pipeline generation is built with them. The
/// query log and statistics join <see cref="Observers"/> here when they arrive.
/// </summary>
internal sealed class Instruments : IDisposable
{
    public Instruments()
    {
        Meter = new Meter(QueryMetrics.MeterName, typeof(Instruments).Assembly.GetName().Version?.ToString());
        Observers = [new QueryMetrics(Meter)];
    }

    public Meter Meter { get; }

    public IReadOnlyList<IQueryObserver> Observers { get; }

    public void Dispose() => Meter.Dispose();
}
