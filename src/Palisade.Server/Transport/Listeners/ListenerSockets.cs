using System.Net;
using System.Net.Sockets;

namespace Palisade.Server.Transport.Listeners;

/// <summary>Binding listening sockets, with the errors a person can act on.</summary>
internal static class ListenerSockets
{
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
            string reason = exception.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "the address is already in use (is another DNS server running?)",
                SocketError.AccessDenied => endPoint.Port < 1024
                    ? $"permission denied: port {endPoint.Port} needs root or the CAP_NET_BIND_SERVICE capability (sudo setcap cap_net_bind_service=+ep on the program), or use a port above 1023"
                    : "permission denied",
                SocketError.AddressNotAvailable => "no such address on this machine",
                _ => exception.Message,
            };
            throw new ListenerBindException($"cannot listen on {endPoint} ({transport}): {reason}", exception);
        }
    }
}
