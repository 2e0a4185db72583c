using System.Diagnostics;

namespace Palisade.Tests.Interop;

/// <summary>
/// Issue 13 point 6, through the real program: with the default upstreamTimeout and one loopback upstream that never
/// answers, a dig that waits the 5 s a stub waits gets SERVFAIL, not a timeout, and the first failure is a warning.
/// </summary>
public sealed class SilentUpstreamInteropTests
{
    [Fact]
    public async Task Serve_DefaultTimeoutAndAnUpstreamThatNeverAnswered_ServfailWithinAStubsWaitAndAWarningAtOnce()
    {
        await using var silent = new FakeUpstream(FakeUpstreamBehavior.NeverAnswer);
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [silent.UdpUpstream],
            Readiness = PalisadeReadiness.ListeningLine,
        });

        var clock = Stopwatch.StartNew();
        var answer = await server.Client().QueryAsync(new DigQuery("first.silent.test.", "A") { Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal("SERVFAIL", answer.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4.5), $"SERVFAIL after {clock.Elapsed}");
        // The console logger writes from its own thread: the line may reach us just after the reply.
        while (!server.Output.Contains("has not answered once", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        string warning = Assert.Single(server.Output.Split('\n'), l => l.Contains("has not answered once", StringComparison.Ordinal));
        Assert.Contains(silent.UdpUpstream["udp://".Length..], warning, StringComparison.Ordinal);
        Assert.Contains("did not answer in time", warning, StringComparison.Ordinal);
    }
}
