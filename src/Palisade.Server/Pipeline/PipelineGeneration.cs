using Palisade.Server.Observability;

namespace Palisade.Server.Pipeline;

/// <summary>
/// The pipeline built from one configuration: it counts the queries inside it and the background work they started
/// (a prefetch), so that when a reload replaces it, the parts only it uses (its upstreams, its blocklists) are released
/// once nothing can reach them any more, and not before; and it hands every query it finishes to its observers.
/// </summary>
/// <remarks>
/// The listeners read the pipeline and then call it, so a query may arrive here a moment after the swap: one that finds
/// the generation closed is handed to the successor, never to parts that are being released. Closing waits at most a
/// bound (the old upstream timeout and a margin): a query cannot use an upstream for longer than that, and one still
/// here then (a slow TCP client reading its answer) must not keep the old upstreams open forever.
/// </remarks>
internal sealed class PipelineGeneration : IQueryHandler
{
    private readonly IQueryHandler _pipeline;
    private readonly IQueryObserver[] _observers;
    private readonly TimeProvider _timeProvider;
    private IQueryHandler? _successor;

    /// <param name="pipeline">The handlers, validation first.</param>
    /// <param name="work">What counts this generation's queries and background work; handlers that start background
    /// work hold it open through the same counter.</param>
    /// <param name="observers">Told of every query finished here.</param>
    /// <param name="timeProvider">For the observers' time and duration.</param>
    public PipelineGeneration(IQueryHandler pipeline, WorkCounter? work = null, IReadOnlyList<IQueryObserver>? observers = null, TimeProvider? timeProvider = null)
    {
        _pipeline = pipeline;
        Work = work ?? new WorkCounter();
        _observers = [.. observers ?? []];
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The queries and background work inside.</summary>
    public WorkCounter Work { get; }

    /// <summary>Queries and background work inside now.</summary>
    public int InFlight => Work.Count;

    /// <summary>True once <see cref="RetireAsync"/> has closed it: every query from then on goes to the successor.</summary>
    public bool IsClosed => Work.IsClosed;

    public ValueTask<QueryResult> HandleAsync(QueryContext context)
    {
        if (!Work.TryEnter())
        {
            return Volatile.Read(ref _successor)!.HandleAsync(context);
        }

        ValueTask<QueryResult> handling;
        try
        {
            handling = _pipeline.HandleAsync(context);
        }
        catch
        {
            Work.Leave();
            throw;
        }

        // The hot path (a cached or blocked answer) completes at once: no second state machine for it.
        if (handling.IsCompletedSuccessfully)
        {
            var result = handling.Result;
            Finished(context, result);
            return new ValueTask<QueryResult>(result);
        }

        return AwaitThenLeaveAsync(context, handling);
    }

    /// <summary>
    /// Hands every query that comes from now on to <paramref name="successor"/> and completes once no query or background
    /// work is left inside (or <paramref name="bound"/> has passed, or <paramref name="stopping"/> ends: the server is
    /// being disposed); what only this generation used may be released then.
    /// </summary>
    public Task RetireAsync(IQueryHandler successor, TimeSpan bound, TimeProvider timeProvider, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(successor);
        Volatile.Write(ref _successor, successor);
        return Work.CloseAsync(bound, timeProvider, stopping);
    }

    private async ValueTask<QueryResult> AwaitThenLeaveAsync(QueryContext context, ValueTask<QueryResult> handling)
    {
        QueryResult result;
        try
        {
            result = await handling.ConfigureAwait(false);
        }
        catch
        {
            Work.Leave();
            throw;
        }

        Finished(context, result);
        return result;
    }

    private void Finished(QueryContext context, in QueryResult result)
    {
        try
        {
            if (_observers.Length > 0)
            {
                Observe(context, result);
            }
        }
        finally
        {
            Work.Leave();
        }
    }

    private void Observe(QueryContext context, in QueryResult result)
    {
        var query = new CompletedQuery
        {
            Name = context.QuestionName,
            Type = context.Question.Type,
            Client = context.Client,
            Transport = context.Transport,
            Clock = _timeProvider,
            ReceivedTimestamp = context.ReceivedTimestamp,
            Dropped = result.IsDrop,
            Source = result.Source,
            ResponseCode = result.ResponseCode,
            ExtendedError = result.ExtendedError,
            Upstream = context.AnsweredBy,
            BlockedBy = context.BlockedBy,
        };
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnQueryCompleted(in query);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Observing never fails a query (see IQueryObserver).
            }
        }
    }
}
