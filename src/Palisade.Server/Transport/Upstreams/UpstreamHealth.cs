namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// What is known of an upstream's health: its smoothed round-trip time, and whether it is down. Three failures in a row
/// take it down for 5 s, doubling up to 60 s; when that time is up, one query is let through as a probe, and its
/// success brings the upstream back. Thread-safe; time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class UpstreamHealth(TimeProvider timeProvider)
{
    public const int FailuresBeforeDown = 3;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private int _consecutiveFailures;
    private TimeSpan _backoff = FirstBackoff;
    private DateTimeOffset _downUntil;
    private bool _down;
    private bool _reported;
    private double _smoothedRttMs;

    /// <summary>Smoothed round-trip time in milliseconds (EWMA, weight 0.3 for the newest); 0 until measured.</summary>
    public double SmoothedRttMs
    {
        get
        {
            lock (_lock)
            {
                return _smoothedRttMs;
            }
        }
    }

    public bool IsDown
    {
        get
        {
            lock (_lock)
            {
                return _down;
            }
        }
    }

    /// <summary>
    /// May a query go to this upstream now? True when it is up; when it is down and its time is up, true once (the
    /// probe), pushing the next probe a backoff further.
    /// </summary>
    public bool TryAcquire()
    {
        lock (_lock)
        {
            if (!_down)
            {
                return true;
            }

            var now = timeProvider.GetUtcNow();
            if (now < _downUntil)
            {
                return false;
            }

            _downUntil = now + _backoff;
            return true;
        }
    }

    /// <summary>
    /// True once per streak of failures: whether a warning about this upstream is still to be logged. A success starts
    /// a new streak.
    /// </summary>
    public bool TryMarkReported()
    {
        lock (_lock)
        {
            bool first = !_reported;
            _reported = true;
            return first;
        }
    }

    /// <summary>Records an answer; true when this brings back an upstream that was down or reported failing.</summary>
    public bool RecordSuccess(TimeSpan roundTrip)
    {
        lock (_lock)
        {
            double ms = roundTrip.TotalMilliseconds;
            _smoothedRttMs = _smoothedRttMs == 0 ? ms : (0.7 * _smoothedRttMs) + (0.3 * ms);
            _consecutiveFailures = 0;
            _backoff = FirstBackoff;
            bool recovered = _down || _reported;
            _down = false;
            _reported = false;
            return recovered;
        }
    }

    /// <summary>Records a failure; true when this takes the upstream down (a transition worth one log line).</summary>
    public bool RecordFailure()
    {
        lock (_lock)
        {
            _consecutiveFailures++;
            if (_down)
            {
                // A failed probe: wait longer before the next one.
                _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxBackoff.Ticks));
                _downUntil = timeProvider.GetUtcNow() + _backoff;
                return false;
            }

            if (_consecutiveFailures < FailuresBeforeDown)
            {
                return false;
            }

            _down = true;
            _downUntil = timeProvider.GetUtcNow() + _backoff;
            return true;
        }
    }

    /// <summary>How long until the next probe, for the log line.</summary>
    public TimeSpan Backoff
    {
        get
        {
            lock (_lock)
            {
                return _backoff;
            }
        }
    }
}
