using Microsoft.Extensions.Time.Testing;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Tests.Reload;

/// <summary>The counter that holds a generation or an upstream set open while work runs in it.</summary>
public sealed class WorkCounterTests
{
    [Fact]
    public async Task Close_NothingInside_ClosedAtOnceAndNothingEntersAfter()
    {
        var work = new WorkCounter();

        await work.CloseAsync(TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        Assert.True(work.IsClosed);
        Assert.False(work.TryEnter());
        Assert.Equal(0, work.Count);
    }

    [Fact]
    public async Task Close_TwoInside_CompletesWhenTheLastLeaves()
    {
        var work = new WorkCounter();
        Assert.True(work.TryEnter());
        Assert.True(work.TryEnter());

        var closing = work.CloseAsync(TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);
        work.Leave();
        Assert.False(closing.IsCompleted);
        Assert.False(work.TryEnter());
        work.Leave();

        await closing;
        Assert.True(work.IsClosed);
    }

    [Fact]
    public async Task Close_WorkNeverLeaves_ClosedWhenTheBoundPasses()
    {
        var time = new FakeTimeProvider();
        var work = new WorkCounter();
        Assert.True(work.TryEnter());

        var closing = work.CloseAsync(TimeSpan.FromSeconds(10), time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(closing.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await closing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(work.IsClosed);
        Assert.Equal(1, work.Count);
    }
}
