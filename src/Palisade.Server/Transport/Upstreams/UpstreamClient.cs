using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Palisade.Protocol;
using Palisade.Server.Configuration;
using Palisade.Server.Transport.Upstreams.Encrypted;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// Asks one server one question, for <c>palisade query</c>: the server is written as an upstream URL (UDP, TCP, DNS over
/// TLS or HTTPS, with <c>?pin=</c>) and reached over the very transports <c>serve</c> uses for its upstreams, with the
/// same certificate checks, except that a pin alone is enough (as with kdig). Unlike <c>serve</c>, the name is sent in
/// the letter case written (no DNS 0x20), so the answer shows what the server does, and a host name in the URL is
/// looked up with the system's resolver, as any client program does.
/// </summary>
public sealed class UpstreamClient : IAsyncDisposable
{
    private readonly Upstream _upstream;

    private UpstreamClient(Upstream upstream) => _upstream = upstream;

    /// <summary>The server, as a full upstream URL (<c>tls://127.0.0.1:853#dns.home.arpa</c>).</summary>
    public UpstreamOptions Server => _upstream.Options;

    /// <summary>Parses <paramref name="url"/> as <c>upstreams</c> are written (see <see cref="UpstreamParser"/>); false with a reason.</summary>
    public static bool TryParse(string url, [NotNullWhen(false)] out string? error, [MaybeNullWhen(false)] out UpstreamOptions server)
    {
        ArgumentNullException.ThrowIfNull(url);
        return UpstreamParser.TryParse(url, out server, out error);
    }

    /// <summary>
    /// A client for <paramref name="server"/>; a host name in it is looked up now, with the system's resolver (throws
    /// <see cref="UpstreamException"/> when it cannot be). <paramref name="trustedRoots"/> are trusted for DNS over TLS
    /// and HTTPS besides the system's store (a local authority from <c>palisade cert</c>, say).
    /// </summary>
    public static async Task<UpstreamClient> ConnectAsync(UpstreamOptions server, X509Certificate2Collection? trustedRoots, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.NeedsBootstrap)
        {
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(server.HostName!, cancellation).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException exception)
            {
                throw new UpstreamException($"cannot look up {server.HostName}: {exception.Message}", exception);
            }

            if (addresses.Length == 0)
            {
                throw new UpstreamException($"cannot look up {server.HostName}: it has no address");
            }

            server = server with { EndPoint = new IPEndPoint(addresses[0], server.Port) };
        }

        // A pin alone authenticates the server, as with kdig +tls-pin: a home server's certificate is often from an
        // authority this machine does not trust.
        IUpstreamTransport primary = server.Protocol switch
        {
            UpstreamProtocol.Tls => new TlsUpstreamTransport(server, bootstrap: null, new UpstreamTls(server, trustedRoots) { PinSuffices = true }),
            UpstreamProtocol.Https => new HttpsUpstreamTransport(server, bootstrap: null, new UpstreamTls(server, trustedRoots) { PinSuffices = true }),
            UpstreamProtocol.Tcp => new TcpUpstreamTransport(server.EndPoint!),
            _ => new UdpUpstreamTransport(server.EndPoint!),
        };
        var tcpFallback = server.Protocol == UpstreamProtocol.Udp ? new TcpUpstreamTransport(server.EndPoint!) : null;
        return new UpstreamClient(new Upstream(server, primary, tcpFallback, TimeProvider.System));
    }

    /// <summary>
    /// Asks <paramref name="name"/> <paramref name="type"/> (RD set, EDNS with a 1232-octet payload and, when
    /// <paramref name="dnssecOk"/>, DO) and returns the answer's octets; a truncated UDP answer is asked again over TCP.
    /// Throws <see cref="UpstreamException"/> when the server fails, <see cref="OperationCanceledException"/> at the timeout.
    /// </summary>
    public async Task<byte[]> AskAsync(DnsName name, DnsRecordType type, bool dnssecOk, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(name);
        byte[] query = new byte[UpstreamQuery.MaxLength];
        int length = UpstreamQuery.Write(query, new UpstreamQuestion(name.WireBytes.ToArray(), type, DnsClass.IN, dnssecOk, CheckingDisabled: false));
        var response = await _upstream.ExchangeAsync(query.AsMemory(0, length), cancellation).ConfigureAwait(false);
        try
        {
            return response.Span.ToArray();
        }
        finally
        {
            response.Release();
        }
    }

    public ValueTask DisposeAsync() => _upstream.DisposeAsync();
}
