using Palisade.Server.Blocklists.Sources;

namespace Palisade.Server.Tests.Blocklists.Sources;

public sealed class RetryBackoffTests
{
    [Fact]
    public void NextDelay_WithoutJitter_DoublesFromInitialToMaximum()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), jitterFraction: 0);

        var delays = Enumerable.Range(1, 6).Select(backoff.NextDelay).Select(d => d.TotalMinutes).ToArray();

        Assert.Equal(new double[] { 1, 2, 4, 8, 10, 10 }, delays);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void NextDelay_NoFailures_IsZero(int failures)
    {
        var backoff = new RetryBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10));

        Assert.Equal(TimeSpan.Zero, backoff.NextDelay(failures));
    }

    [Fact]
    public void NextDelay_LongStreak_StaysAtMaximum()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromDays(1), jitterFraction: 0);

        Assert.Equal(TimeSpan.FromDays(1), backoff.NextDelay(int.MaxValue));
        Assert.Equal(TimeSpan.FromDays(1), backoff.NextDelay(64));
    }

    [Fact]
    public void NextDelay_WithJitter_StaysWithinTheFractionBelow()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), new Random(1234), jitterFraction: 0.2);

        for (var failures = 1; failures <= 10; failures++)
        {
            var exact = TimeSpan.FromMinutes(Math.Min(Math.Pow(2, failures - 1), 60));
            var delay = backoff.NextDelay(failures);
            Assert.InRange(delay, exact * 0.8, exact);
        }
    }

    [Fact]
    public void NextDelay_SameSeed_GivesSameDelays()
    {
        var a = new RetryBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), new Random(7));
        var b = new RetryBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), new Random(7));

        Assert.Equal(Enumerable.Range(1, 8).Select(a.NextDelay), Enumerable.Range(1, 8).Select(b.NextDelay));
    }

    [Fact]
    public void ForRefreshInterval_Day_StartsAtOneMinuteAndCapsAtTheInterval()
    {
        var backoff = RetryBackoff.ForRefreshInterval(TimeSpan.FromDays(1));

        Assert.Equal(TimeSpan.FromMinutes(1), backoff.Initial);
        Assert.Equal(TimeSpan.FromDays(1), backoff.Maximum);
    }

    [Fact]
    public void ForRefreshInterval_ShorterThanAMinute_CapsAtOneMinute()
    {
        var backoff = RetryBackoff.ForRefreshInterval(TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromMinutes(1), backoff.Maximum);
    }

    [Fact]
    public void Constructor_MaximumBelowInitial_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBackoff(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)));
    }
}
