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
    public async Task Serve_ClientOutsideAccessAllow_SummaryLineAtInfo()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.Answer);
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [upstream.UdpUpstream],
            ConfigText = "access:\n  allow: [\"192.0.2.0/24\"]\n",
            Readiness = PalisadeReadiness.ListeningLine,
        });

        Assert.Equal("REFUSED", (await server.Client().QueryAsync("stranger.test.", "A")).Status);

        Assert.True(
            await OutputLines.AppearsAsync(() => server.Output, "info: Palisade.Server.Handlers.AccessControl.RefusalSummary[500] Refused 1 query from 1 client outside access.allow (first: 127.0.0.1); see access.allow"),
            server.Describe());
        Assert.Contains("access: 192.0.2.0/24 may query; others refused", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DefaultAccess_StartLineShowsThisMachinesNetworks()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.Answer);
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [upstream.UdpUpstream],
            Readiness = PalisadeReadiness.ListeningLine,
        });

        var line = System.Text.RegularExpressions.Regex.Match(
            server.Output, "access: loopback, private networks, and this machine's networks (.+) may query; others refused");
        Assert.True(line.Success, server.Describe());

        // Each IPv4 network of this machine's interfaces that are up (not loopback, not link-local) is on the line.
        foreach (var network in ThisMachinesIPv4Networks())
        {
            Assert.Contains(network, line.Groups[1].Value, StringComparison.Ordinal);
        }
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

    private static IEnumerable<string> ThisMachinesIPv4Networks() =>
        from networkInterface in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
        where networkInterface.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up
            && networkInterface.NetworkInterfaceType != System.Net.NetworkInformation.NetworkInterfaceType.Loopback
        from unicast in networkInterface.GetIPProperties().UnicastAddresses
        where unicast.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && !unicast.Address.ToString().StartsWith("169.254.", StringComparison.Ordinal)
            && unicast.PrefixLength >= 8
        select Network(unicast.Address, unicast.PrefixLength);

    private static string Network(IPAddress address, int prefixLength)
    {
        uint bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        uint mask = prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
        byte[] network = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(network, bits & mask);
        return $"{new IPAddress(network)}/{prefixLength}";
    }
}
