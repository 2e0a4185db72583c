using Palisade.Protocol;
using Palisade.Server.Configuration;
using Palisade.Server.Transport.Upstreams.Encrypted;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// One upstream resolver: its transports and its health. A UDP upstream randomises the letter case of its queries
/// (DNS 0x20, see <see cref="UdpUpstreamTransport"/>) and retries a truncated answer over TCP, in the client's case.
/// </summary>
public sealed class Upstream : IAsyncDisposable
{
    private readonly IUpstreamTransport _primary;
    private readonly IUpstreamTransport? _tcpFallback;

    /// <summary>An upstream over the transport its URL names; <paramref name="bootstrap"/> looks up host names.</summary>
    public Upstream(UpstreamOptions options, TimeProvider timeProvider, BootstrapResolver? bootstrap = null)
        : this(options, timeProvider, bootstrap, options?.Protocol == UpstreamProtocol.Udp ? new CaseEchoDetector() : null)
    {
    }

    private Upstream(UpstreamOptions options, TimeProvider timeProvider, BootstrapResolver? bootstrap, CaseEchoDetector? caseEcho)
        : this(options, PrimaryTransport(options, bootstrap, caseEcho), TcpFallback(options), timeProvider)
    {
        CaseEcho = caseEcho;
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

    private string? _name;

    public UpstreamOptions Options { get; }

    public UpstreamHealth Health { get; }

    /// <summary>Whether a UDP upstream echoes the query's letter case (DNS 0x20); null for other transports.</summary>
    public CaseEchoDetector? CaseEcho { get; }

    /// <summary>The upstream as configured (<see cref="UpstreamOptions.ToString"/>), made once: metrics tag with it.</summary>
    public string Name => _name ??= Options.ToString();

    public override string ToString() => Name;

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

    private static IUpstreamTransport PrimaryTransport(UpstreamOptions options, BootstrapResolver? bootstrap, CaseEchoDetector? caseEcho)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Protocol switch
        {
            UpstreamProtocol.Tls => new TlsUpstreamTransport(options, bootstrap),
            UpstreamProtocol.Https => new HttpsUpstreamTransport(options, bootstrap),
            UpstreamProtocol.Tcp => new TcpUpstreamTransport(options.EndPoint!),
            _ => new UdpUpstreamTransport(options.EndPoint!, caseEcho),
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
