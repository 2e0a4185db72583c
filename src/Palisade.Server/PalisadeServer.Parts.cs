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
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Server;

/// <summary>Building the pipeline and the parts behind it from the options: the same code at start and on a reload.</summary>
public sealed partial class PalisadeServer
{
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

    /// <summary>
    /// The pipeline for <paramref name="options"/> and the parts behind it. With <paramref name="previous"/> (a reload),
    /// a part whose settings did not change is taken over rather than made again: the cache stays warm, the rate table
    /// keeps counting, the blocklists are not rebuilt, the upstreams keep their connections and health. At start, the
    /// access list is made before (for its log line) and passed in as <c>access</c>.
    /// </summary>
    private static Parts BuildParts(PalisadeOptions options, Parts? previous, TimeProvider timeProvider, ILoggerFactory loggerFactory, AccessList? access = null)
    {
        var before = previous?.Options;
        access ??= previous is not null && before!.Access == options.Access
            ? previous.Access
            : CreateAccessList(options.Access, timeProvider, loggerFactory);
        var refusals = previous?.Refusals ?? new RefusalSummary(timeProvider, loggerFactory.CreateLogger<RefusalSummary>());
        refusals.Action = options.Access.Action;
        var stopped = previous?.Stopped ?? new RebindingSummary(timeProvider, loggerFactory.CreateLogger<RebindingSummary>());
        var upstreams = previous is not null && UpstreamSet.SameFor(before!, options)
            ? previous.Upstreams
            : UpstreamSet.Create(options, timeProvider, loggerFactory);
        var cache = previous is not null && before!.Cache == options.Cache
            ? previous.Cache
            : options.Cache.MaxSize > 0 ? new ResponseCache(options.Cache, timeProvider) : null;
        var rateTable = !options.RateLimit.Enabled ? null
            : previous?.RateTable is not null && before!.RateLimit == options.RateLimit ? previous.RateTable
            : new ClientRateTable(options.RateLimit, timeProvider);
        var blocklists = previous is not null && before!.Blocking == options.Blocking && before.DataDir == options.DataDir
            ? previous.Blocklists
            : RunningBlocklists.CreateAndLoad(options, timeProvider, loggerFactory);

        var steps = new List<Func<IQueryHandler, IQueryHandler>>
        {
            next => new AccessControlHandler(access, options.Access.Action, refusals, next),
        };

        // Rate limiting right after access control: strangers are turned away before they take a slot in its table, and a
        // client over its limit costs nothing more (no blocklist or cache lookup, no upstream query).
        if (rateTable is not null)
        {
            steps.Add(next => new RateLimitHandler(rateTable, next));
        }

        // Local records take their place here, when they arrive.
        if (blocklists is not null)
        {
            var manager = blocklists.Manager;
            var blocked = ToBlockedResponse(options.Blocking);
            steps.Add(next => new BlockingHandler(() => manager.Current, blocked, options.Blocking.CnameInspection, next));
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
            steps.Add(next => new RebindingProtectionHandler(allow, stopped, rebindingLogger, next));
        }

        var pipeline = new PipelineGeneration(PipelineBuilder.Build(new ForwardingHandler(upstreams.Resolver), [.. steps]));
        return new Parts(options, pipeline, upstreams, cache, rateTable, blocklists) { Access = access, Refusals = refusals, Stopped = stopped };
    }

    /// <summary>The access list of <paramref name="access"/>: with this machine's networks when the list is the default.</summary>
    private static AccessList CreateAccessList(AccessOptions access, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        AccessList.Create(access, access.IsDefaultAllow ? new SystemLocalNetworks() : null, timeProvider, loggerFactory.CreateLogger<AccessList>());

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

    /// <summary>
    /// What one configuration is served with. A part may be shared with the next generation (a reload that did not
    /// change its settings); it is released when the last generation that uses it has been retired.
    /// </summary>
    private sealed record Parts(
        PalisadeOptions Options,
        PipelineGeneration Pipeline,
        UpstreamSet Upstreams,
        ResponseCache? Cache,
        ClientRateTable? RateTable,
        RunningBlocklists? Blocklists)
    {
        /// <summary>Who may query; kept across a reload that leaves <c>access</c> as it was.</summary>
        public required AccessList Access { get; init; }

        /// <summary>The once-a-minute summaries of refused queries and stopped answers; they outlive every reload.</summary>
        public required RefusalSummary Refusals { get; init; }

        /// <inheritdoc cref="Refusals"/>
        public required RebindingSummary Stopped { get; init; }
    }
}
