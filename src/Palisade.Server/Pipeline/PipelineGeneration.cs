namespace Palisade.Server.Pipeline;

/// <summary>
/// The pipeline built from one configuration, counting the queries inside it, so that when a reload replaces it the
/// parts only it uses (its upstreams, its blocklists) are released once no query can reach them any more, and not before.
/// </summary>
/// <remarks>
/// The listeners read the pipeline and then call it, so a query may arrive here a moment after the swap. Counting
/// and closing share one integer, changed only by compare-and-swap: <see cref="RetireAsync"/> closes the generation in
/// the same step that sees no query inside, and a query that comes after that is handed to the successor, never to
/// parts that are being released. Closing waits at most a bound (the old upstream timeout and a margin): a query
/// cannot use an upstream for longer than that, and one still here then (a slow TCP client reading its answer) must not
/// keep the old upstreams open forever.
/// </remarks>
internal sealed class PipelineGeneration(IQueryHandler pipeline) : IQueryHandler
{
    private const int ClosedFlag = 1 << 30;

    /// <summary>The queries inside, plus <see cref="ClosedFlag"/> once closed.</summary>
    private int _state;
    private IQueryHandler? _successor;
    private TaskCompletionSource? _drained;

    /// <summary>Queries inside now.</summary>
    public int InFlight => Volatile.Read(ref _state) & ~ClosedFlag;

    /// <summary>True once <see cref="RetireAsync"/> has closed it: every query from then on goes to the successor.</summary>
    public bool IsClosed => (Volatile.Read(ref _state) & ClosedFlag) != 0;

    public ValueTask<QueryResult> HandleAsync(QueryContext context)
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if ((state & ClosedFlag) != 0)
            {
                return Volatile.Read(ref _successor)!.HandleAsync(context);
            }

            if (Interlocked.CompareExchange(ref _state, state + 1, state) == state)
            {
                return HandleCountedAsync(context);
            }
        }
    }

    /// <summary>
    /// Hands every query that comes from now on to <paramref name="successor"/> and completes once none is left inside
    /// (or <paramref name="bound"/> has passed, or <paramref name="stopping"/> ends: the server is being disposed); what
    /// only this generation used may be released then.
    /// </summary>
    public async Task RetireAsync(IQueryHandler successor, TimeSpan bound, TimeProvider timeProvider, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(successor);
        Volatile.Write(ref _successor, successor);
        using var bounded = new CancellationTokenSource(bound, timeProvider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(bounded.Token, stopping);
        while (true)
        {
            // Published before the attempt to close: a query that leaves after a failed attempt finds it and wakes us.
            var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _drained, drained);
            if (Interlocked.CompareExchange(ref _state, ClosedFlag, 0) == 0)
            {
                return;
            }

            try
            {
                await drained.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Or(ref _state, ClosedFlag);
                return;
            }
        }
    }

    private ValueTask<QueryResult> HandleCountedAsync(QueryContext context)
    {
        ValueTask<QueryResult> handling;
        try
        {
            handling = pipeline.HandleAsync(context);
        }
        catch
        {
            Leave();
            throw;
        }

        // The hot path (a cached or blocked answer) completes at once: no second state machine for it.
        if (handling.IsCompletedSuccessfully)
        {
            Leave();
            return handling;
        }

        return AwaitThenLeaveAsync(handling);
    }

    private async ValueTask<QueryResult> AwaitThenLeaveAsync(ValueTask<QueryResult> handling)
    {
        try
        {
            return await handling.ConfigureAwait(false);
        }
        finally
        {
            Leave();
        }
    }

    private void Leave()
    {
        if ((Interlocked.Decrement(ref _state) & ~ClosedFlag) == 0)
        {
            Volatile.Read(ref _drained)?.TrySetResult();
        }
    }
}
