using Microsoft.Extensions.Logging;
using Palisade.Server.Blocklists;
using Palisade.Server.Blocklists.Sources;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.AccessControl;
using Palisade.Server.Handlers.AnyQuery;
using Palisade.Server.Handlers.Blocking;
using Palisade.Server.Handlers.Caching;
using Palisade.Server.Handlers.Forwarding;
using Palisade.Server.Handlers.RateLimit;
using Palisade.Server.Handlers.Rebinding;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Listeners;
using Palisade.Server.Transport.Tls;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Server;

/// <summary>
/// Palisade put together from its options: upstreams, the resolver, the cache (left out when <c>cache.maxSize</c> is 0),
/// the pipeline and the listeners. The one place where the parts are wired; no service locator.
/// </summary>
public sealed partial class PalisadeServer : IAsyncDisposable
{
    private readonly DnsServer _server;
    private readonly CancellationTokenSource _background = new();
    private readonly List<IDisposable> _owned = [];
    private readonly List<Upstream> _upstreams;
    private Task _refreshing = Task.CompletedTask;

    private PalisadeServer(DnsServer server, ResponseCache? cache, BlocklistManager? blocklists, List<Upstream> upstreams, ServerCertificate? certificate)
    {
        _server = server;
        Cache = cache;
        Blocklists = blocklists;
        _upstreams = upstreams;
        Certificate = certificate;
    }

    /// <summary>The certificate served over TLS and HTTPS, or null when neither is configured.</summary>
    public ServerCertificate? Certificate { get; }

    /// <summary>The addresses serving DNS over TLS.</summary>
    public IReadOnlyList<System.Net.IPEndPoint> TlsEndPoints => _server.TlsEndPoints;

    /// <summary>Answers one query that came over HTTPS: see <see cref="DnsServer.AnswerHttpsQueryAsync"/>.</summary>
    public ValueTask AnswerHttpsQueryAsync<TState>(
        ReadOnlyMemory<byte> query,
        System.Net.IPEndPoint client,
        TState state,
        Func<TState, ReadOnlyMemory<byte>, ValueTask> send,
        CancellationToken cancellation) =>
        _server.AnswerHttpsQueryAsync(query, client, state, send, cancellation);

    /// <summary>The blocklists, or null when blocking is off (no list and no deny rule).</summary>
    public BlocklistManager? Blocklists { get; }

    /// <summary>The addresses being served (real ports when 0 was asked for).</summary>
    public IReadOnlyList<System.Net.IPEndPoint> EndPoints => _server.EndPoints;

    /// <summary>The response cache, or null when it is off.</summary>
    public ResponseCache? Cache { get; }

    /// <summary>Builds and starts a server; throws <see cref="ListenerBindException"/> when an address cannot be bound.</summary>
    public static async Task<PalisadeServer> StartAsync(PalisadeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, ListenerLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger<PalisadeServer>();
        foreach (string line in ConfigurationFormatter.ToDisplayLines(options))
        {
            LogSetting(logger, line);
        }

        var bootstrap = options.Upstreams.Any(u => u.NeedsBootstrap)
            ? new BootstrapResolver(options.Bootstrap, timeProvider, loggerFactory.CreateLogger<BootstrapResolver>())
            : null;
        // Loaded first: a certificate that does not load is a configuration error, found before anything is bound.
        var certificate = options.TlsListen.Count > 0 || options.HttpsListen.Count > 0
            ? ServerCertificate.Load(options.Tls.Certificate!, options.Tls.PrivateKey!, timeProvider, loggerFactory.CreateLogger<ServerCertificate>())
            : null;
        var upstreams = options.Upstreams.Select(u => new Upstream(u, timeProvider, bootstrap)).ToList();
        var resolver = new UpstreamResolver(upstreams, options.UpstreamStrategy, options.UpstreamTimeout, timeProvider, loggerFactory.CreateLogger<UpstreamResolver>());
        var cache = options.Cache.MaxSize > 0 ? new ResponseCache(options.Cache, timeProvider) : null;

        var steps = new List<Func<IQueryHandler, IQueryHandler>>
        {
            next => new AccessControlHandler(options.Access, next),
        };

        // Rate limiting right after access control: strangers are turned away before they take a slot in its table, and a
        // client over its limit costs nothing more (no blocklist or cache lookup, no upstream query).
        if (options.RateLimit.Enabled)
        {
            steps.Add(next => new RateLimitHandler(options.RateLimit, timeProvider, next));
        }

        // Local records take their place here, when they arrive.
        var blocklists = CreateBlocklists(options, timeProvider, loggerFactory, out var http);
        if (blocklists is not null)
        {
            blocklists.LoadStored();
            var blocked = ToBlockedResponse(options.Blocking);
            steps.Add(next => new BlockingHandler(() => blocklists.Current, blocked, options.Blocking.CnameInspection, next));
        }

        // ANY (RFC 8482) after blocking, so that a blocked name looks blocked for every type (NXDOMAIN mode agrees with
        // itself, EDE 15 is there), and before the cache and the upstreams, which never see an ANY query.
        steps.Add(next => new AnyQueryHandler(next));

        if (cache is not null)
        {
            steps.Add(next => new CacheHandler(cache, next));
        }

        // Rebinding protection last, between the cache and the upstreams: it sees only what upstream said (never
        // Palisade's own blocked answers, 0.0.0.0 included), once per answer rather than on every cache hit, and what it
        // stops never reaches the cache, so every cached answer has passed it.
        if (options.Security.RebindingProtection)
        {
            var allow = new RebindingAllowList(options.Security.RebindingAllow);
            var rebindingLogger = loggerFactory.CreateLogger<RebindingProtectionHandler>();
            steps.Add(next => new RebindingProtectionHandler(allow, rebindingLogger, next));
        }

        var pipeline = PipelineBuilder.Build(new ForwardingHandler(resolver), [.. steps]);
        DnsServer server;
        try
        {
            server = await DnsServer.StartAsync(options.Listen, pipeline, limits ?? new ListenerLimits(), timeProvider, loggerFactory, options.TlsListen, certificate).ConfigureAwait(false);
        }
        catch
        {
            blocklists?.Dispose();
            http?.Dispose();
            certificate?.Dispose();
            foreach (var upstream in upstreams)
            {
                await upstream.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        var palisade = new PalisadeServer(server, cache, blocklists, upstreams, certificate);
        if (certificate is not null)
        {
            palisade._owned.Add(certificate);
        }

        if (blocklists is not null)
        {
            palisade._owned.Add(blocklists);
            palisade._owned.Add(http!);
            palisade._refreshing = blocklists.RunAsync(palisade._background.Token);
        }

        return palisade;
    }

    /// <summary>Fetches every list now (conditional requests) and swaps in the new set: what SIGHUP does.</summary>
    public Task RefreshBlocklistsAsync(CancellationToken cancellation) =>
        Blocklists is null ? Task.CompletedTask : Blocklists.UpdateAsync(force: true, progress: null, cancellation);

    /// <summary>The blocklists of <paramref name="options"/>, or null when there is nothing to block.</summary>
    public static BlocklistManager? CreateBlocklists(PalisadeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, out HttpClient? http)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var blocking = options.Blocking;
        if (blocking.Lists.Count == 0 && blocking.Deny.Count == 0)
        {
            http = null;
            return null;
        }

        http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.All })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Palisade/0.1 (+blocklist refresh)");
        var fetcher = new BlocklistFetcher(http, blocking.GetCacheDir(options.DataDir), timeProvider, loggerFactory.CreateLogger<BlocklistFetcher>());
        return new BlocklistManager(blocking, fetcher, timeProvider, loggerFactory.CreateLogger<BlocklistManager>());
    }

    private static BlockedResponse ToBlockedResponse(BlockingOptions blocking)
    {
        uint ttl = (uint)Math.Min(blocking.BlockedTtl.TotalSeconds, uint.MaxValue);
        return blocking.Response.Mode switch
        {
            BlockingResponseMode.NxDomain => new BlockedResponse(BlockedResponseMode.NxDomain, null, null, ttl),
            BlockingResponseMode.Refused => new BlockedResponse(BlockedResponseMode.Refused, null, null, ttl),
            BlockingResponseMode.CustomIp => new BlockedResponse(BlockedResponseMode.Address, blocking.Response.IPv4 ?? System.Net.IPAddress.Any, blocking.Response.IPv6 ?? System.Net.IPAddress.IPv6Any, ttl),
            _ => BlockedResponse.NullIp with { Ttl = ttl },
        };
    }

    /// <summary>Stops serving: no new queries, those in flight finished (bounded), everything closed.</summary>
    public async Task StopAsync()
    {
        await _background.CancelAsync().ConfigureAwait(false);
        await _refreshing.ConfigureAwait(false);
        await _server.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _background.CancelAsync().ConfigureAwait(false);
        await _refreshing.ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
        foreach (var upstream in _upstreams)
        {
            await upstream.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _background.Dispose();
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Setting}")]
    private static partial void LogSetting(ILogger logger, string setting);
}
