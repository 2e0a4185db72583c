namespace Palisade.Server.Handlers;

/// <summary>
/// Counts one kind of event on the query path and writes a summary of it at most once per interval, so that a refused
/// client or a stopped answer leaves a trace at <c>info</c> without a line per query. The first event after a quiet
/// interval is written at once (a person trying something out sees it straight away); the ones that follow within the
/// interval are written together when it ends, by a timer of the injected <see cref="TimeProvider"/>. Recording is
/// interlocked counters and nothing allocated; one example (the first of each interval) is kept.
/// </summary>
/// <typeparam name="TExample">What is shown as "first: …" in the summary.</typeparam>
internal sealed class SummaryWindow<TExample> : IDisposable
    where TExample : class
{
    private readonly TimeProvider _timeProvider;
    private readonly long _intervalTicks;
    private readonly Action<Summary> _write;
    private readonly ApproximateDistinctCount _distinct = new();
    private readonly ITimer _timer;
    private long _count;
    private TExample? _first;

    /// <summary>The timestamp (<see cref="TimeProvider.GetTimestamp"/>) from which the next summary may be written at once.</summary>
    private long _nextWriteAt;

    /// <summary>1 while the timer is set to write what the current interval has gathered.</summary>
    private int _timerSet;

    /// <param name="interval">At most one summary per interval.</param>
    /// <param name="timeProvider">The clock, and the timer that writes a summary at the end of a busy interval.</param>
    /// <param name="write">Writes one summary (a log line); called on the query path or the timer's thread.</param>
    public SummaryWindow(TimeSpan interval, TimeProvider timeProvider, Action<Summary> write)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _intervalTicks = (long)(interval.TotalSeconds * timeProvider.TimestampFrequency);
        _write = write;
        _nextWriteAt = long.MinValue;
        _timer = timeProvider.CreateTimer(static state => ((SummaryWindow<TExample>)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Whether an example is still wanted for this interval: make one (which may allocate) only then.</summary>
    public bool WantsExample => Volatile.Read(ref _first) is null;

    /// <summary>Offers the example for this interval; the first one offered is kept.</summary>
    public void OfferExample(TExample example) => Interlocked.CompareExchange(ref _first, example, null);

    /// <summary>
    /// Counts one event; <paramref name="distinctHash"/> (a client address's hash code, say) feeds the count of different
    /// sources. Writes the summary now if none was written within the interval; otherwise sees that one is written when
    /// the interval ends.
    /// </summary>
    public void Record(int distinctHash)
    {
        _distinct.Add(distinctHash);
        Interlocked.Increment(ref _count);
        long now = _timeProvider.GetTimestamp();
        long writeAt = Volatile.Read(ref _nextWriteAt);
        if (now >= writeAt)
        {
            if (Interlocked.CompareExchange(ref _nextWriteAt, now + _intervalTicks, writeAt) == writeAt)
            {
                Flush();
            }
        }
        else if (Interlocked.Exchange(ref _timerSet, 1) == 0)
        {
            _timer.Change(_timeProvider.GetElapsedTime(now, writeAt), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops the timer and writes what is still counted, so that a server stopping loses no summary.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        Flush();
    }

    private void OnTimer()
    {
        // In this order: an event counted after the flush below sets the timer again, and one counted before it is in it.
        Volatile.Write(ref _nextWriteAt, _timeProvider.GetTimestamp() + _intervalTicks);
        Volatile.Write(ref _timerSet, 0);
        Flush();
    }

    private void Flush()
    {
        long count = Interlocked.Exchange(ref _count, 0);
        var first = Interlocked.Exchange(ref _first, null);
        int distinct = _distinct.TakeEstimate();
        if (count > 0 && first is not null)
        {
            _write(new Summary(count, Math.Max(1, distinct), first));
        }
        else if (count > 0)
        {
            // Counted before its example arrived (another thread between the two): written with it next time.
            Interlocked.Add(ref _count, count);
        }
        else if (first is not null)
        {
            Interlocked.CompareExchange(ref _first, first, null);
        }
    }

    /// <summary>One interval's events: how many, from about how many different sources, and the first.</summary>
    internal readonly record struct Summary(long Count, int Distinct, TExample First);
}
