using Microsoft.Extensions.Logging;
using Palisade.Server.Blocklists;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.AccessControl;
using Palisade.Server.Handlers.AnyQuery;
using Palisade.Server.Handlers.Blocking;
using Palisade.Server.Handlers.Caching;
using Palisade.Server.Handlers.Forwarding;
using Palisade.Server.Handlers.RateLimit;
using Palisade.Server.Handlers.Rebinding;
using Palisade.Server.Observability;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Server.Pipeline;

/// <summary>
/// The pipeline, as a table: every step in order, after validation (always first), each with the part it keeps across
/// reloads and the handler it adds. The one place where the order is decided, with the reason for each place. A new
/// concern is a folder under <c>Handlers/</c> and one row here.
/// </summary>
internal static class PipelineTable
{
    public const string Access = "access";
    public const string RateLimit = "rateLimit";
    public const string Blocking = "blocking";
    public const string AnyQuery = "any";
    public const string Cache = "cache";
    public const string Rebinding = "rebinding";
    public const string Forwarding = "forwarding";

    public static IReadOnlyList<PipelineStep> Steps { get; } =
    [
        // Access control first: refuse strangers before spending anything on them. The list (with this machine's own
        // networks, re-read when they change, when access.allow is the default) is kept while access.* stays.
        PipelineStep.WithPart(
            Access,
            (before, after) => before.Access == after.Access,
            build => CreateAccessList(build.Options.Access, build.TimeProvider, build.LoggerFactory),
            (list, build, next) =>
            {
                build.Instruments.Refusals.Action = build.Options.Access.Action;
                return new AccessControlHandler(list, build.Options.Access.Action, build.Instruments.Refusals, next);
            }),

        // Rate limiting right after: strangers are turned away before they take a slot in its table, and a client over
        // its limit costs nothing more (no blocklist or cache lookup, no upstream query). The table keeps counting
        // across a reload that leaves rateLimit.* alone.
        PipelineStep.WithPart(
            RateLimit,
            (before, after) => before.RateLimit == after.RateLimit,
            build => build.Options.RateLimit.Enabled ? new ClientRateTable(build.Options.RateLimit, build.TimeProvider) : null,
            (table, _, next) => new RateLimitHandler(table, next)),

        // Local records take their place here, when they arrive: the owner's own names win over everything after.

        // Blocking before the cache, so that a list change applies at once and blocked names never reach the cache.
        PipelineStep.WithPart(
            Blocking,
            (before, after) => before.Blocking == after.Blocking && before.DataDir == after.DataDir,
            build => RunningBlocklists.CreateAndLoad(build.Options, build.TimeProvider, build.LoggerFactory),
            (lists, build, next) => new BlockingHandler(() => lists.Manager.Current, ToBlockedResponse(build.Options.Blocking), build.Options.Blocking.CnameInspection, next)),

        // ANY (RFC 8482) after blocking, so that a blocked name looks blocked for every type (NXDOMAIN mode agrees with
        // itself, EDE 15 is there), and before the cache and the upstreams, which never see an ANY query.
        PipelineStep.Stateless(AnyQuery, (_, next) => new AnyQueryHandler(next)),

        // The cache answers most queries without leaving the process; it stays warm across a reload that leaves
        // cache.* alone. A prefetch holds the generation open (build.Work).
        PipelineStep.WithPart(
            Cache,
            (before, after) => before.Cache == after.Cache,
            build => build.Options.Cache.MaxSize > 0 ? new ResponseCache(build.Options.Cache, build.TimeProvider) : null,
            (cache, build, next) => new CacheHandler(cache, next, build.Work)),

        // Rebinding protection between the cache and the upstreams: it sees only what upstream said (never Palisade's own
        // blocked answers, 0.0.0.0 included), once per answer rather than on every cache hit, and what it stops never
        // reaches the cache, so every cached answer has passed it.
        PipelineStep.Stateless(Rebinding, (build, next) => build.Options.Security.RebindingProtection
            ? new RebindingProtectionHandler(new RebindingAllowList(build.Options.Security.RebindingAllow), build.Instruments.Stopped, build.LoggerFactory.CreateLogger<RebindingProtectionHandler>(), next)
            : null),

        // Forwarding last: it never calls a next handler. The upstreams keep their connections and health across a
        // reload that leaves upstreams, bootstrap, upstreamStrategy and upstreamTimeout alone.
        PipelineStep.WithPart(
            Forwarding,
            UpstreamSet.SameFor,
            build => UpstreamSet.Create(build.Options, build.TimeProvider, build.LoggerFactory),
            (upstreams, _, _) => new ForwardingHandler(upstreams.Resolver)),
    ];

    /// <summary>
    /// Builds a generation for <paramref name="options"/> from the table. With <paramref name="previous"/> (a reload), a
    /// step's part whose settings did not change is taken over rather than made again; a part in
    /// <paramref name="madeAhead"/>, made for these options already, is used as it is.
    /// </summary>
    public static (PipelineGeneration Pipeline, PipelineParts Parts) Build(
        PalisadeOptions options,
        (PalisadeOptions Options, PipelineParts Parts)? previous,
        Instruments instruments,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        PipelineParts? madeAhead = null)
    {
        var build = new PipelineBuild(options, new WorkCounter(), instruments, timeProvider, loggerFactory);
        var parts = new Dictionary<string, object>(StringComparer.Ordinal);
        var handlers = new Func<IQueryHandler, IQueryHandler?>[Steps.Count];
        for (int i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            object? part = null;
            if (step.CreatePart is not null)
            {
                part = madeAhead?.Get<object>(step.Name)
                    ?? (previous is { } before && step.SameSettings!(before.Options, options)
                        ? before.Parts.Get<object>(step.Name)
                        : step.CreatePart(build));
                if (part is not null)
                {
                    parts[step.Name] = part;
                }
            }

            handlers[i] = next => step.Handler(part, build, next);
        }

        IQueryHandler handler = NoNext.Instance;
        for (int i = handlers.Length - 1; i >= 0; i--)
        {
            handler = handlers[i](handler) ?? handler;
        }

        return (new PipelineGeneration(PipelineBuilder.Build(handler), build.Work, instruments.Observers, timeProvider), new PipelineParts(parts));
    }

    /// <summary>The access list of <paramref name="access"/>: with this machine's networks when the list is the default.</summary>
    public static AccessList CreateAccessList(AccessOptions access, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
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

    /// <summary>What the last step would call next: nothing may (forwarding answers every query itself).</summary>
    private sealed class NoNext : IQueryHandler
    {
        public static NoNext Instance { get; } = new();

        public ValueTask<QueryResult> HandleAsync(QueryContext context) =>
            throw new InvalidOperationException("The last step of the pipeline called a next handler; forwarding must be last.");
    }
}
