using System.Net;
using System.Net.Sockets;
using Palisade.Server.Transport.Listeners;

namespace Palisade.Server.Tests.Transport;

public sealed class ListenerSocketsTests
{
    [Theory]
    [InlineData("127.0.0.1:5353")]
    [InlineData("[::1]:5353")]
    [InlineData("0.0.0.0:5353")]
    public void Reason_AddressInUseOnTheMdnsPort_SaysItIsMdnsAndSuggestsAnotherPort(string endPoint)
    {
        string reason = ListenerSockets.Reason(IPEndPoint.Parse(endPoint), SocketError.AddressAlreadyInUse)!;
        Assert.Contains("already in use", reason, StringComparison.Ordinal);
        Assert.Contains("port 5353 is the mDNS port", reason, StringComparison.Ordinal);
        Assert.Contains("avahi-daemon", reason, StringComparison.Ordinal);
        Assert.Contains("use another port, such as 5354", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_AddressInUseElsewhere_AsksAboutAnotherDnsServer()
    {
        string reason = ListenerSockets.Reason(IPEndPoint.Parse("127.0.0.1:5354"), SocketError.AddressAlreadyInUse)!;
        Assert.Equal("the address is already in use (is another DNS server running?)", reason);
    }

    [Fact]
    public void Reason_PrivilegedPortDenied_NamesTheCapability() =>
        Assert.Contains("CAP_NET_BIND_SERVICE", ListenerSockets.Reason(IPEndPoint.Parse("0.0.0.0:53"), SocketError.AccessDenied), StringComparison.Ordinal);

    [Fact]
    public void Reason_OtherError_NullSoTheSystemMessageIsUsed() =>
        Assert.Null(ListenerSockets.Reason(IPEndPoint.Parse("127.0.0.1:5354"), SocketError.NetworkDown));

    [Theory]
    [InlineData(SocketType.Dgram, ProtocolType.Udp, "UDP")]
    [InlineData(SocketType.Stream, ProtocolType.Tcp, "TCP")]
    public void Bind_PortTaken_OneLineNamingTheAddressAndTransport(SocketType type, ProtocolType protocol, string transport)
    {
        using var taken = new Socket(AddressFamily.InterNetwork, type, protocol);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        if (type == SocketType.Stream)
        {
            taken.Listen();
        }

        var endPoint = (IPEndPoint)taken.LocalEndPoint!;
        var exception = Assert.Throws<ListenerBindException>(() => ListenerSockets.Bind(endPoint, type, protocol).Dispose());
        Assert.Equal($"cannot listen on {endPoint} ({transport}): the address is already in use (is another DNS server running?)", exception.Message);
        Assert.Equal(SocketError.AddressAlreadyInUse, Assert.IsType<SocketException>(exception.InnerException).SocketErrorCode);
    }
}
