using Microsoft.Extensions.Time.Testing;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Server.Tests.Transport;

public sealed class UpstreamHealthTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryMarkReported_UpstreamFlapping_OneWarningPerIntervalThenTheUnloggedDownsAreCounted()
    {
        var health = new UpstreamHealth(_time);

        // The first down is logged, and so is its recovery.
        Assert.True(GoDown(health));
        Assert.True(health.TryMarkReported(out int unreported));
        Assert.Equal(0, unreported);
        Assert.True(health.RecordSuccess(TimeSpan.FromMilliseconds(1)));

        // Four more flaps within the interval: no warning, and they come back quietly.
        for (int i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            Assert.True(GoDown(health));
            Assert.False(health.TryMarkReported(out _));
            Assert.False(health.RecordSuccess(TimeSpan.FromMilliseconds(1)));
        }

        // Down again once the interval is up: one warning, counting the four.
        _time.Advance(UpstreamHealth.ReportInterval);
        Assert.True(GoDown(health));
        Assert.True(health.TryMarkReported(out unreported));
        Assert.Equal(4, unreported);
        Assert.False(health.TryMarkReported(out _));
        Assert.True(health.RecordSuccess(TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void TryMarkReported_DownHeldBackThenStillFailingPastTheInterval_ReportedOnALaterFailure()
    {
        var health = new UpstreamHealth(_time);
        Assert.True(GoDown(health));
        Assert.True(health.TryMarkReported(out _));
        Assert.True(health.RecordSuccess(TimeSpan.FromMilliseconds(1)));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(GoDown(health));
        Assert.False(health.TryMarkReported(out _));

        // It stays down: a failed probe after the interval logs it, so the log does not keep saying it answers.
        _time.Advance(UpstreamHealth.ReportInterval);
        Assert.False(health.RecordFailure());
        Assert.True(health.TryMarkReported(out int unreported));
        Assert.Equal(0, unreported);
    }

    private static bool GoDown(UpstreamHealth health)
    {
        bool wentDown = false;
        for (int i = 0; i < UpstreamHealth.FailuresBeforeDown; i++)
        {
            wentDown = health.RecordFailure();
        }

        return wentDown && health.IsDown;
    }
}
