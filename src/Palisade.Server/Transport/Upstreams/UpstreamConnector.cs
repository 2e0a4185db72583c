using System.Net;
using System.Net.Sockets;
using Palisade.Server.Configuration;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// Opens TCP connections to one upstream: to its address, or to the addresses of its host name looked up through
/// <see cref="BootstrapResolver"/>, trying each in turn.
/// </summary>
internal sealed class UpstreamConnector(UpstreamOptions upstream, BootstrapResolver? bootstrap)
{
    /// <summary>A connected socket, with Nagle off; throws <see cref="UpstreamException"/> when no address takes it.</summary>
    public async ValueTask<Socket> ConnectAsync(CancellationToken cancellation)
    {
        IReadOnlyList<IPEndPoint> endPoints = upstream.EndPoint is { } fixedEndPoint
            ? [fixedEndPoint]
            : await ResolveAsync(cancellation).ConfigureAwait(false);
        SocketException? last = null;
        foreach (var endPoint in endPoints)
        {
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endPoint, cancellation).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException exception)
            {
                last = exception;
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new UpstreamException($"could not connect to {upstream} ({string.Join(", ", endPoints)}): {last?.Message}", last!);
    }

    private async ValueTask<IReadOnlyList<IPEndPoint>> ResolveAsync(CancellationToken cancellation)
    {
        if (bootstrap is null)
        {
            throw new UpstreamException($"{upstream} is a host name, and there are no bootstrap servers to look it up");
        }

        var addresses = await bootstrap.ResolveAsync(upstream.HostName!, cancellation).ConfigureAwait(false);
        return [.. addresses.Select(a => new IPEndPoint(a, upstream.Port))];
    }
}
