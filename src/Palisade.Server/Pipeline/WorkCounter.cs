namespace Palisade.Server.Pipeline;

/// <summary>
/// Counts the work running on something that must not be released while it runs (a pipeline generation, an upstream
/// set): queries, and the background work they start (a prefetch, a probe, a shared upstream exchange). From the moment
/// <see cref="CloseAsync"/> is called no new work may enter, and it completes when the last one has left.
/// </summary>
/// <remarks>
/// The count and the closed flag share one integer: entering is a compare-and-swap that fails once the flag is set, so
/// nothing enters after closing has begun, and the waiter is published before the count is looked at, so the last
/// one to leave always finds it. Entering and leaving allocate nothing.
/// </remarks>
public sealed class WorkCounter
{
    private const int ClosedFlag = 1 << 30;

    /// <summary>The work inside, plus <see cref="ClosedFlag"/> once closing has begun.</summary>
    private int _state;
    private TaskCompletionSource? _drained;

    /// <summary>Work inside now.</summary>
    public int Count => Volatile.Read(ref _state) & ~ClosedFlag;

    /// <summary>True once closing has begun: nothing enters any more.</summary>
    public bool IsClosed => (Volatile.Read(ref _state) & ClosedFlag) != 0;

    /// <summary>Counts one more piece of work in; false once closed (the work must then not start here).</summary>
    public bool TryEnter()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if ((state & ClosedFlag) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _state, state + 1, state) == state)
            {
                return true;
            }
        }
    }

    /// <summary>Counts one piece of work out; call once for each <see cref="TryEnter"/> that returned true.</summary>
    public void Leave()
    {
        if ((Interlocked.Decrement(ref _state) & ~ClosedFlag) == 0)
        {
            Volatile.Read(ref _drained)?.TrySetResult();
        }
    }

    /// <summary>
    /// Closes it to new work at once, and completes once none is left inside, or when <paramref name="bound"/> has passed
    /// or <paramref name="stopping"/> ends (with work perhaps still inside then).
    /// </summary>
    public async Task CloseAsync(TimeSpan bound, TimeProvider timeProvider, CancellationToken stopping)
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        if ((Interlocked.Or(ref _state, ClosedFlag) & ~ClosedFlag) == 0)
        {
            return;
        }

        // Looked at again after publishing: the last one may have left between the two steps above.
        if (Count == 0)
        {
            return;
        }

        using var bounded = new CancellationTokenSource(bound, timeProvider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(bounded.Token, stopping);
        try
        {
            await drained.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
