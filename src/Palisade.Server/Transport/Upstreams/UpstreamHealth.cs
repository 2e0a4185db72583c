namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// What is known of an upstream's health: its smoothed round-trip time, and whether it is down. Three failures in a row
/// take it down for 5 s, doubling up to 60 s; when that time is up, one query is let through as a probe, and its
/// success brings the upstream back. Thread-safe; time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// It also decides what is worth a log line, so that an upstream flapping between up and down does not flood the log:
/// one warning when it starts failing and one line when it answers again, and at most one such warning per
/// <see cref="ReportInterval"/>. The downs in between are counted, not logged, and so are their recoveries; the next
/// warning says how many there were. A down that was not logged is logged on a later failure once the interval is up,
/// so the log never goes on saying an upstream answers while it has been failing for longer than that. An upstream that
/// has never answered (<see cref="HasAnswered"/>) is worth a warning at its first failure: it is most likely a wrong
/// address or a resolver that is not running, and waiting for three timeouts would leave a new user 15 s in the dark.
/// </remarks>
public sealed class UpstreamHealth(TimeProvider timeProvider)
{
    public const int FailuresBeforeDown = 3;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    /// <summary>The least time between two warnings that an upstream is failing.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private int _consecutiveFailures;
    private TimeSpan _backoff = FirstBackoff;
    private DateTimeOffset _downUntil;
    private bool _down;
    private bool _reported;
    private DateTimeOffset? _lastReport;
    private int _unreportedDowns;
    private double _smoothedRttMs;
    private bool _hasAnswered;

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

    /// <summary>Whether an answer has ever come from this upstream.</summary>
    public bool HasAnswered
    {
        get
        {
            lock (_lock)
            {
                return _hasAnswered;
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
    /// Whether the warning that this upstream is failing is to be logged now: true once per streak of failures (a
    /// success starts a new one), and not within <see cref="ReportInterval"/> of the last such warning; call it again on
    /// a later failure, and it is true once the interval is up. <paramref name="unreported"/> is how many times it went
    /// down and came back since that last warning without being logged.
    /// </summary>
    public bool TryMarkReported(out int unreported)
    {
        lock (_lock)
        {
            unreported = _unreportedDowns;
            if (_reported)
            {
                return false;
            }

            var now = timeProvider.GetUtcNow();
            if (_lastReport is { } last && now - last < ReportInterval)
            {
                return false;
            }

            _reported = true;
            _lastReport = now;
            _unreportedDowns = 0;
            return true;
        }
    }

    /// <summary>
    /// Records an answer; true when this brings back an upstream whose failing was logged (a line worth writing). One
    /// that was down without a warning comes back quietly, counted for the next warning.
    /// </summary>
    public bool RecordSuccess(TimeSpan roundTrip)
    {
        lock (_lock)
        {
            double ms = roundTrip.TotalMilliseconds;
            _smoothedRttMs = _smoothedRttMs == 0 ? ms : (0.7 * _smoothedRttMs) + (0.3 * ms);
            _consecutiveFailures = 0;
            _hasAnswered = true;
            _backoff = FirstBackoff;
            bool reported = _reported;
            if (_down && !reported)
            {
                _unreportedDowns++;
            }

            _down = false;
            _reported = false;
            return reported;
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
