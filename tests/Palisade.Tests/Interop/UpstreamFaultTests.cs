using System.Diagnostics;
using System.Net;

namespace Palisade.Tests.Interop;

/// <summary>
/// <c>palisade serve</c> against upstreams that misbehave: the client still gets the right answer from a healthy
/// upstream, or SERVFAIL within the timeout; never a hang, never the bad upstream's answer.
/// </summary>
public sealed class UpstreamFaultTests
{
    private static readonly IPAddress Good = IPAddress.Parse("192.0.2.77");

    private const string ShortTimeout = "upstreamTimeout: 2s\n";

    [Theory]
    [InlineData(FakeUpstreamBehavior.NeverAnswer)]
    [InlineData(FakeUpstreamBehavior.WrongId)]
    [InlineData(FakeUpstreamBehavior.Garbage)]
    [InlineData(FakeUpstreamBehavior.AnswerFromOtherAddress)]
    [InlineData(FakeUpstreamBehavior.AnswerFromOtherPort)]
    public async Task Serve_FaultyFirstUpstream_AnswerComesFromTheHealthyOne(FakeUpstreamBehavior fault)
    {
        await using var faulty = new FakeUpstream(fault, new FakeUpstreamOptions { Address = IPAddress.Parse("192.0.2.66") });
        await using var healthy = new FakeUpstream(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions { Address = Good });
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [faulty.UdpUpstream, healthy.UdpUpstream],
            ConfigText = ShortTimeout + "upstreamStrategy: roundRobin\n",
            Readiness = PalisadeReadiness.ListeningLine,
        });

        // Round robin sends the first query to the faulty upstream first.
        var stopwatch = Stopwatch.StartNew();
        var answer = await server.Client().QueryAsync(new DigQuery("fault.test.", "A") { Timeout = TimeSpan.FromSeconds(5) });
        stopwatch.Stop();

        Assert.Equal("NOERROR", answer.Status);
        Assert.Equal(Good.ToString(), Assert.Single(answer.Answer).Data);
        Assert.True(faulty.QueryCount >= 1, server.Describe());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}\n{server.Describe()}");
    }

    [Theory]
    [InlineData(FakeUpstreamBehavior.NeverAnswer)]
    [InlineData(FakeUpstreamBehavior.Garbage)]
    [InlineData(FakeUpstreamBehavior.AnswerFromOtherAddress)]
    public async Task Serve_OnlyFaultyUpstreams_ServfailWithinTheTimeout(FakeUpstreamBehavior fault)
    {
        await using var faulty = new FakeUpstream(fault);
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [faulty.UdpUpstream],
            ConfigText = ShortTimeout,
            Readiness = PalisadeReadiness.ListeningLine,
        });

        var stopwatch = Stopwatch.StartNew();
        var answer = await server.Client().QueryAsync(new DigQuery("fault.test.", "A") { Timeout = TimeSpan.FromSeconds(6) });
        stopwatch.Stop();

        Assert.Equal("SERVFAIL", answer.Status);
        Assert.Empty(answer.Answer);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3.5), $"took {stopwatch.Elapsed}\n{server.Describe()}");
    }

    [Fact]
    public async Task Serve_UpstreamFailsThenRecovers_WarnsOnceThenAnswersAgain()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.NeverAnswer, new FakeUpstreamOptions { Address = Good });
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [upstream.UdpUpstream],
            ConfigText = "upstreamTimeout: 500ms\n",
            Readiness = PalisadeReadiness.ListeningLine,
        });
        var client = server.Client();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal("SERVFAIL", (await client.QueryAsync($"down{i}.test.", "A")).Status);
        }

        Assert.Single(server.Output.Split('\n'), line => line.Contains("is failing", StringComparison.Ordinal));

        // A down upstream is still asked when it is the only one, so the next query finds it answering again.
        upstream.Behavior = FakeUpstreamBehavior.Answer;
        var answer = await client.QueryAsync("back.test.", "A");
        Assert.Equal(Good.ToString(), Assert.Single(answer.Answer).Data);
    }

    [Fact]
    public async Task Serve_SigtermWithQueryInFlight_QueryIsAnsweredThenExitZero()
    {
        await using var slow = new FakeUpstream(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions { Address = Good, Delay = TimeSpan.FromSeconds(1) });
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [slow.UdpUpstream],
            Readiness = PalisadeReadiness.ListeningLine,
        });

        var pending = server.Client().QueryAsync(new DigQuery("inflight.test.", "A") { Timeout = TimeSpan.FromSeconds(5) });
        Assert.True(await slow.WaitForQueriesAsync(1, TimeSpan.FromSeconds(5)), server.Describe());
        var stopping = server.StopAsync();

        var answer = await pending;
        Assert.Equal(Good.ToString(), Assert.Single(answer.Answer).Data);
        Assert.Equal(0, await stopping);
        Assert.False(server.WasKilled, server.Describe());
    }
}
