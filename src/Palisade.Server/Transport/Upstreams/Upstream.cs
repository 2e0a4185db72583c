using Palisade.Protocol;
using Palisade.Server.Configuration;
using Palisade.Server.Transport.Upstreams.Encrypted;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>One upstream resolver: its transports and its health. A UDP upstream retries a truncated answer over TCP.</summary>
public sealed class Upstream : IAsyncDisposable
{
    private readonly IUpstreamTransport _primary;
    private readonly IUpstreamTransport? _tcpFallback;

    /// <summary>An upstream over the transport its URL names; <paramref name="bootstrap"/> looks up host names.</summary>
    public Upstream(UpstreamOptions options, TimeProvider timeProvider, BootstrapResolver? bootstrap = null)
        : this(options, PrimaryTransport(options, bootstrap), TcpFallback(options), timeProvider)
    {
    }

    /// <summary>An upstream over the given transports (tests pass their own).</summary>
    public Upstream(UpstreamOptions options, IUpstreamTransport primary, IUpstreamTransport? tcpFallback, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _primary = primary;
        _tcpFallback = tcpFallback;
        Health = new UpstreamHealth(timeProvider);
    }

    public UpstreamOptions Options { get; }

    public UpstreamHealth Health { get; }

    public override string ToString() => Options.ToString();

    /// <summary>Closes the connections kept open to it.</summary>
    public async ValueTask DisposeAsync()
    {
        switch (_primary)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    private static IUpstreamTransport PrimaryTransport(UpstreamOptions options, BootstrapResolver? bootstrap)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Protocol switch
        {
            UpstreamProtocol.Tls => new TlsUpstreamTransport(options, bootstrap),
            UpstreamProtocol.Https => new HttpsUpstreamTransport(options, bootstrap),
            UpstreamProtocol.Tcp => new TcpUpstreamTransport(options.EndPoint!),
            _ => new UdpUpstreamTransport(options.EndPoint!),
        };
    }

    private static TcpUpstreamTransport? TcpFallback(UpstreamOptions options) =>
        options.Protocol == UpstreamProtocol.Udp ? new TcpUpstreamTransport(options.EndPoint!) : null;

    /// <summary>Asks this upstream; a truncated UDP answer is asked again over TCP with a new ID (RFC 7766 s5).</summary>
    public async ValueTask<UpstreamResponse> ExchangeAsync(ReadOnlyMemory<byte> query, CancellationToken cancellation)
    {
        var response = await _primary.ExchangeAsync(query, cancellation).ConfigureAwait(false);
        if (_tcpFallback is null || !DnsHeader.TryRead(response.Span, out var header) || !header.Truncated)
        {
            return response;
        }

        response.Release();
        byte[] retry = query.ToArray();
        UpstreamQuery.Renumber(retry);
        return await _tcpFallback.ExchangeAsync(retry, cancellation).ConfigureAwait(false);
    }
}
