using System.Net;
using System.Net.Sockets;

namespace Palisade.Server.Transport.Listeners;

/// <summary>
/// The <see cref="IPEndPoint"/> for a client's socket address, remembered for the last few clients, so that a
/// receive thread does not make a new one (an address object and an end point) for every datagram of the same client.
/// One instance per thread: not thread-safe. A flood from ever new addresses simply replaces entries in turn.
/// </summary>
internal sealed class ClientEndPoints(AddressFamily family)
{
    /// <summary>How many clients are remembered: a home or office network's busy devices fit.</summary>
    public const int Capacity = 16;

    private readonly SocketAddress[] _addresses = new SocketAddress[Capacity];
    private readonly IPEndPoint?[] _endPoints = new IPEndPoint?[Capacity];
    private readonly IPEndPoint _template = new(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
    private int _next;

    /// <summary>The end point for <paramref name="address"/> (which may change afterwards: it is copied when kept).</summary>
    public IPEndPoint Get(SocketAddress address)
    {
        for (int i = 0; i < Capacity; i++)
        {
            if (_endPoints[i] is { } known && _addresses[i].Equals(address))
            {
                return known;
            }
        }

        var endPoint = (IPEndPoint)_template.Create(address);
        int slot = _next;
        _next = (_next + 1) % Capacity;
        var copy = _addresses[slot] ??= new SocketAddress(family, address.Size);
        copy.Size = address.Size;
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        _endPoints[slot] = endPoint;
        return endPoint;
    }
}
