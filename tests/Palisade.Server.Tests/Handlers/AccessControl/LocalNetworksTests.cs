using System.Net;
using Palisade.Server.Handlers.AccessControl;

namespace Palisade.Server.Tests.Handlers.AccessControl;

public sealed class LocalNetworksTests
{
    [Theory]
    [InlineData("2001:db8:1::53", 64, "2001:db8:1::/64")]
    [InlineData("2001:db8:1:2:3:4:5:6", 56, "2001:db8:1::/56")]
    [InlineData("2001:db8:1::53", 128, "2001:db8:1::53/128")]
    [InlineData("192.168.1.10", 24, "192.168.1.0/24")]
    [InlineData("203.0.113.77", 29, "203.0.113.72/29")]
    [InlineData("10.20.30.40", 8, "10.0.0.0/8")]
    [InlineData("fd00::2", 64, "fd00::/64")]
    public void TryGetNetwork_InterfaceAddress_ItsNetworkWithHostBitsCleared(string address, int prefixLength, string expected)
    {
        Assert.True(LocalNetworks.TryGetNetwork(IPAddress.Parse(address), prefixLength, out var network));
        Assert.Equal(expected, network.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1", 8)]
    [InlineData("::1", 128)]
    [InlineData("fe80::1", 64)]
    [InlineData("169.254.3.4", 16)]
    [InlineData("224.0.0.251", 24)]
    [InlineData("ff02::fb", 64)]
    [InlineData("0.0.0.0", 8)]
    [InlineData("::", 64)]
    [InlineData("198.51.100.1", 0)]
    [InlineData("198.51.100.1", 7)]
    [InlineData("2001:db8::1", 31)]
    [InlineData("2001:db8::1", 0)]
    public void TryGetNetwork_LoopbackLinkLocalMulticastOrTooWide_LeftOut(string address, int prefixLength) =>
        Assert.False(LocalNetworks.TryGetNetwork(IPAddress.Parse(address), prefixLength, out _));

    [Fact]
    public void From_SeveralInterfaces_EachNetworkOnceIPv6First()
    {
        var networks = LocalNetworks.From(
        [
            (IPAddress.Parse("192.168.1.10"), 24),
            (IPAddress.Parse("2001:db8:1::53"), 64),
            (IPAddress.Parse("2001:db8:1::aaaa:1"), 64),
            (IPAddress.Parse("fe80::1"), 64),
            (IPAddress.Parse("127.0.0.1"), 8),
            (IPAddress.Parse("192.168.1.11"), 24),
            (IPAddress.Parse("10.0.0.2"), 24),
        ]);

        Assert.Equal(["2001:db8:1::/64", "10.0.0.0/24", "192.168.1.0/24"], networks.Select(n => n.ToString()));
    }

    [Fact]
    public void SystemLocalNetworks_ThisMachine_NoLoopbackOrLinkLocal()
    {
        using var source = new SystemLocalNetworks();

        var networks = source.GetNetworks();

        Assert.DoesNotContain(networks, n => n.Contains(IPAddress.Loopback) || n.Contains(IPAddress.IPv6Loopback) || n.BaseAddress.IsIPv6LinkLocal);
    }
}
