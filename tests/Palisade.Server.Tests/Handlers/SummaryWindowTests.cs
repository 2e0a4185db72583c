using Microsoft.Extensions.Time.Testing;
using Palisade.Server.Handlers;

namespace Palisade.Server.Tests.Handlers;

public sealed class SummaryWindowTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly List<SummaryWindow<string>.Summary> _written = [];

    [Fact]
    public void Record_FirstEvent_WrittenAtOnce()
    {
        using var window = Window();

        Record(window, "a", 1);

        var summary = Assert.Single(_written);
        Assert.Equal((1L, 1, "a"), (summary.Count, summary.Distinct, summary.First));
    }

    [Fact]
    public void Record_MoreWithinTheMinute_OneSummaryWhenItEnds()
    {
        using var window = Window();
        Record(window, "first", 1);
        _time.Advance(TimeSpan.FromSeconds(10));
        Record(window, "second", 2);
        Record(window, "third", 2);
        Record(window, "fourth", 3);
        Assert.Single(_written);

        _time.Advance(TimeSpan.FromSeconds(49));
        Assert.Single(_written);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, _written.Count);
        Assert.Equal((3L, 2, "second"), (_written[1].Count, _written[1].Distinct, _written[1].First));
    }

    [Fact]
    public void Record_QuietMinuteThenEvent_WrittenAtOnceAgain()
    {
        using var window = Window();
        Record(window, "a", 1);
        _time.Advance(TimeSpan.FromMinutes(5));

        Record(window, "b", 1);

        Assert.Equal(["a", "b"], _written.Select(s => s.First));
    }

    [Fact]
    public void Timer_NothingCounted_NothingWritten()
    {
        using var window = Window();
        Record(window, "a", 1);
        _time.Advance(TimeSpan.FromMinutes(3));

        Assert.Single(_written);
    }

    [Fact]
    public void Dispose_EventsStillCounted_Written()
    {
        var window = Window();
        Record(window, "a", 1);
        Record(window, "b", 1);

        window.Dispose();

        Assert.Equal(2, _written.Count);
        Assert.Equal((1L, "b"), (_written[1].Count, _written[1].First));
    }

    [Fact]
    public void Record_ManyEventsWithinTheMinute_ExampleMadeOncePerMinute()
    {
        using var window = Window();
        Record(window, "a", 1);
        Assert.True(window.WantsExample);
        Record(window, "b", 1);
        Assert.False(window.WantsExample);

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(window.WantsExample);
    }

    private static void Record(SummaryWindow<string> window, string example, int source)
    {
        if (window.WantsExample)
        {
            window.OfferExample(example);
        }

        window.Record(source);
    }

    private SummaryWindow<string> Window() => new(TimeSpan.FromMinutes(1), _time, _written.Add);
}
