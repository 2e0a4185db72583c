using System.Net;
using System.Net.Sockets;

namespace Palisade.Server.Transport.Listeners;

/// <summary>Binding listening sockets, with the errors a person can act on.</summary>
internal static class ListenerSockets
{
    private const int MulticastDnsPort = 5353;

    /// <summary>
    /// A socket bound to <paramref name="endPoint"/>. IPv6 sockets are IPv6-only, so that <c>0.0.0.0:53</c> and
    /// <c>[::]:53</c> can both be bound. Throws <see cref="ListenerBindException"/> with a one-line reason.
    /// </summary>
    public static Socket Bind(IPEndPoint endPoint, SocketType type, ProtocolType protocol)
    {
        var socket = new Socket(endPoint.AddressFamily, type, protocol);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            if (type == SocketType.Stream)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            socket.Bind(endPoint);
            return socket;
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            string transport = protocol == ProtocolType.Udp ? "UDP" : "TCP";
            string reason = Reason(endPoint, exception.SocketErrorCode) ?? exception.Message;
            throw new ListenerBindException($"cannot listen on {endPoint} ({transport}): {reason}", exception);
        }
    }

    /// <summary>
    /// What a person can do about <paramref name="error"/> on <paramref name="endPoint"/>, or null when there is nothing
    /// better to say than the system's message.
    /// </summary>
    internal static string? Reason(IPEndPoint endPoint, SocketError error) => error switch
    {
        // 5353 is multicast DNS (RFC 6762 s3): avahi-daemon (or systemd-resolved) holds 0.0.0.0:5353 on most desktops,
        // which a DNS server tried out on "the other DNS port" runs into first.
        SocketError.AddressAlreadyInUse when endPoint.Port == MulticastDnsPort =>
            $"the address is already in use: port {MulticastDnsPort} is the mDNS port (multicast DNS, held by avahi-daemon on most desktops); use another port, such as 5354",
        SocketError.AddressAlreadyInUse => "the address is already in use (is another DNS server running?)",
        SocketError.AccessDenied => endPoint.Port < 1024
            ? $"permission denied: port {endPoint.Port} needs root or the CAP_NET_BIND_SERVICE capability (sudo setcap cap_net_bind_service=+ep on the program), or use a port above 1023"
            : "permission denied",
        SocketError.AddressNotAvailable => "no such address on this machine",
        _ => null,
    };
}
