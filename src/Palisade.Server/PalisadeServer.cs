using Microsoft.Extensions.Logging;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.AccessControl;
using Palisade.Server.Handlers.Caching;
using Palisade.Server.Handlers.Forwarding;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Listeners;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Server;

/// <summary>
/// Palisade put together from its options: upstreams, the resolver, the cache (left out when <c>cache.maxSize</c> is 0),
/// the pipeline and the listeners. The one place where the parts are wired; no service locator.
/// </summary>
public sealed partial class PalisadeServer : IAsyncDisposable
{
    private readonly DnsServer _server;

    private PalisadeServer(DnsServer server, ResponseCache? cache)
    {
        _server = server;
        Cache = cache;
    }

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

        var upstreams = options.Upstreams.Select(u => new Upstream(u, timeProvider)).ToList();
        var resolver = new UpstreamResolver(upstreams, options.UpstreamStrategy, options.UpstreamTimeout, timeProvider, loggerFactory.CreateLogger<UpstreamResolver>());
        var cache = options.Cache.MaxSize > 0 ? new ResponseCache(options.Cache, timeProvider) : null;

        var steps = new List<Func<IQueryHandler, IQueryHandler>>
        {
            next => new AccessControlHandler(options.Access, next),
        };

        // Rate limiting, local records and blocking take their places here, in that order, as they arrive.
        if (cache is not null)
        {
            steps.Add(next => new CacheHandler(cache, next));
        }

        var pipeline = PipelineBuilder.Build(new ForwardingHandler(resolver), [.. steps]);
        var server = await DnsServer.StartAsync(options.Listen, pipeline, limits ?? new ListenerLimits(), timeProvider, loggerFactory).ConfigureAwait(false);
        return new PalisadeServer(server, cache);
    }

    /// <summary>Stops serving: no new queries, those in flight finished (bounded), everything closed.</summary>
    public Task StopAsync() => _server.StopAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Setting}")]
    private static partial void LogSetting(ILogger logger, string setting);
}
