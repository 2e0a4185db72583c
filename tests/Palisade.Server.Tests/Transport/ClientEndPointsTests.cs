using System.Net;
using System.Net.Sockets;
using Palisade.Server.Transport.Listeners;

namespace Palisade.Server.Tests.Transport;

public sealed class ClientEndPointsTests
{
    [Fact]
    public void Get_SameAddressAgain_SameEndPointWithoutAllocating()
    {
        var clients = new ClientEndPoints(AddressFamily.InterNetwork);
        var address = new IPEndPoint(IPAddress.Parse("192.168.1.20"), 40000).Serialize();

        var first = clients.Get(address);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var second = clients.Get(address);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Same(first, second);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.20"), 40000), first);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Get_AddressChangedAfterwards_KeptEndPointUnchanged()
    {
        // The receive thread reuses its SocketAddress for every datagram: what is remembered must be a copy.
        var clients = new ClientEndPoints(AddressFamily.InterNetwork);
        var address = new IPEndPoint(IPAddress.Parse("10.0.0.1"), 1000).Serialize();
        var first = clients.Get(address);

        var other = new IPEndPoint(IPAddress.Parse("10.0.0.2"), 2000).Serialize();
        other.Buffer.Span[..other.Size].CopyTo(address.Buffer.Span);
        var second = clients.Get(address);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 1000), first);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 2000), second);
        Assert.Same(first, clients.Get(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 1000).Serialize()));
    }

    [Fact]
    public void Get_MoreClientsThanRemembered_EveryAnswerStillRight()
    {
        var clients = new ClientEndPoints(AddressFamily.InterNetworkV6);
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < ClientEndPoints.Capacity * 3; i++)
            {
                var expected = new IPEndPoint(IPAddress.Parse($"fd00::{i + 1:x}"), 5300 + i);
                Assert.Equal(expected, clients.Get(expected.Serialize()));
            }
        }
    }
}
