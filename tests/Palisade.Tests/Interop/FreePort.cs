using System.Net;
using System.Net.Sockets;

namespace Palisade.Tests.Interop;

/// <summary>Picks unprivileged loopback ports that are free for both UDP and TCP at the moment of asking.</summary>
public static class FreePort
{
    /// <summary>
    /// A port on <paramref name="address"/> (127.0.0.1 by default) that a UDP and a TCP socket could both bind just now. The
    /// sockets are released before returning, so another process may take the port in between; callers start their server
    /// promptly and fail loudly when binding fails.
    /// </summary>
    public static int Pick(IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            using var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, 0));
            int port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(address, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for TCP; try another.
            }
        }

        throw new InvalidOperationException($"no port on {address} was free for both UDP and TCP after 50 attempts");
    }
}
