namespace Palisade.Server.Blocklists.Sources;

/// <summary>
/// How long to wait before retrying a failing list: <see cref="Initial"/> after the first failure, doubling with each
/// further one, never more than <see cref="Maximum"/> (normally the refresh interval). Each delay is shortened by a
/// random part of up to <see cref="JitterFraction"/> so lists failing together do not retry together.
/// </summary>
public sealed class RetryBackoff
{
    private readonly Random _random;

    /// <param name="initial">The delay after the first failure.</param>
    /// <param name="maximum">The longest delay (at least <paramref name="initial"/>).</param>
    /// <param name="random">The jitter's source; <see cref="Random.Shared"/> when null.</param>
    /// <param name="jitterFraction">Up to this fraction of each delay is taken off at random; 0 gives exact delays.</param>
    public RetryBackoff(TimeSpan initial, TimeSpan maximum, Random? random = null, double jitterFraction = 0.2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, initial);
        if (jitterFraction is < 0 or > 1 || double.IsNaN(jitterFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(jitterFraction), jitterFraction, "The jitter fraction must be between 0 and 1.");
        }

        Initial = initial;
        Maximum = maximum;
        JitterFraction = jitterFraction;
        _random = random ?? Random.Shared;
    }

    /// <summary>The delay after the first failure.</summary>
    public TimeSpan Initial { get; }

    /// <summary>The longest delay.</summary>
    public TimeSpan Maximum { get; }

    /// <summary>Up to this fraction of each delay is taken off at random.</summary>
    public double JitterFraction { get; }

    /// <summary>One minute doubling up to the refresh interval (or one minute, when the interval is shorter).</summary>
    public static RetryBackoff ForRefreshInterval(TimeSpan refreshInterval, Random? random = null)
    {
        var initial = TimeSpan.FromMinutes(1);
        return new RetryBackoff(initial, refreshInterval > initial ? refreshInterval : initial, random);
    }

    /// <summary>The delay before the next attempt after <paramref name="consecutiveFailures"/> failures in a row (0 gives zero).</summary>
    public TimeSpan NextDelay(int consecutiveFailures)
    {
        if (consecutiveFailures <= 0)
        {
            return TimeSpan.Zero;
        }

        // 2^(n-1) times the initial delay, computed in doubles so a long failing streak cannot overflow.
        var ticks = Initial.Ticks * Math.Pow(2, Math.Min(consecutiveFailures - 1, 62));
        var capped = Math.Min(ticks, Maximum.Ticks);
        if (JitterFraction > 0)
        {
            capped *= 1 - (JitterFraction * _random.NextDouble());
        }

        return TimeSpan.FromTicks((long)capped);
    }
}
