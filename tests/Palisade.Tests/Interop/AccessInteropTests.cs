using System.Net;

namespace Palisade.Tests.Interop;

/// <summary>Not an open resolver: <c>access.allow</c> through the real program, asked by dig.</summary>
public sealed class AccessInteropTests
{
    [Fact]
    public async Task Serve_ClientOutsideAccessAllow_Refused_UpstreamNeverAsked()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.Answer);
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [upstream.UdpUpstream],
            ConfigText = "access:\n  allow: [\"192.0.2.0/24\"]\n",
            Readiness = PalisadeReadiness.ListeningLine,
        });

        var answer = await server.Client().QueryAsync("stranger.test.", "A");

        Assert.Equal("REFUSED", answer.Status);
        Assert.Contains("EDE: 18", answer.Raw, StringComparison.Ordinal);
        Assert.Equal(0, upstream.QueryCount);
    }

    [Fact]
    public async Task Serve_DropAction_NoAnswerAtAll()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.Answer);
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [upstream.UdpUpstream],
            ConfigText = "access:\n  allow: [\"192.0.2.0/24\"]\n  action: drop\n",
            Readiness = PalisadeReadiness.ListeningLine,
        });

        var answer = await server.Client().TryQueryAsync(new DigQuery("stranger.test.", "A") { Timeout = TimeSpan.FromSeconds(1) });

        Assert.Null(answer);
        Assert.Equal(0, upstream.QueryCount);
    }

    [Fact]
    public async Task Serve_DefaultAccess_LoopbackAnswered()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions { Address = IPAddress.Parse("192.0.2.5") });
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [upstream.UdpUpstream],
            Readiness = PalisadeReadiness.ListeningLine,
        });

        var answer = await server.Client().QueryAsync("friend.test.", "A");
        Assert.Equal("192.0.2.5", Assert.Single(answer.Answer).Data);
    }
}
