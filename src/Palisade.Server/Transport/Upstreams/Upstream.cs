using Palisade.Protocol;
using Palisade.Server.Configuration;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>One upstream resolver: its transports and its health. A UDP upstream retries a truncated answer over TCP.</summary>
public sealed class Upstream
{
    private readonly IUpstreamTransport _primary;
    private readonly IUpstreamTransport? _tcpFallback;

    public Upstream(UpstreamOptions options, TimeProvider timeProvider)
        : this(
            options,
            options.Protocol == UpstreamProtocol.Tcp ? new TcpUpstreamTransport(options.EndPoint) : new UdpUpstreamTransport(options.EndPoint),
            options.Protocol == UpstreamProtocol.Udp ? new TcpUpstreamTransport(options.EndPoint) : null,
            timeProvider)
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
