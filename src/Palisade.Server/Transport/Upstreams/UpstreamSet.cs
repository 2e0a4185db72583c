using Microsoft.Extensions.Logging;
using Palisade.Server.Configuration;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// The upstreams of one configuration and the resolver that chooses among them. A reload that leaves <c>upstreams</c>,
/// <c>bootstrap</c>, <c>upstreamStrategy</c> and <c>upstreamTimeout</c> alone keeps the set, with its open connections
/// and what it has learnt of each upstream's health and latency.
/// </summary>
internal sealed class UpstreamSet : IAsyncDisposable
{
    private UpstreamSet(IReadOnlyList<Upstream> upstreams, UpstreamResolver resolver)
    {
        Upstreams = upstreams;
        Resolver = resolver;
    }

    public IReadOnlyList<Upstream> Upstreams { get; }

    public UpstreamResolver Resolver { get; }

    public static UpstreamSet Create(PalisadeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        var bootstrap = options.Upstreams.Any(u => u.NeedsBootstrap)
            ? new BootstrapResolver(options.Bootstrap, timeProvider, loggerFactory.CreateLogger<BootstrapResolver>())
            : null;
        var upstreams = options.Upstreams.Select(u => new Upstream(u, timeProvider, bootstrap)).ToList();
        var resolver = new UpstreamResolver(upstreams, options.UpstreamStrategy, options.UpstreamTimeout, timeProvider, loggerFactory.CreateLogger<UpstreamResolver>());
        return new UpstreamSet(upstreams, resolver);
    }

    /// <summary>True when <paramref name="before"/> and <paramref name="after"/> need the same upstream set.</summary>
    public static bool SameFor(PalisadeOptions before, PalisadeOptions after) =>
        before.Upstreams.SequenceEqual(after.Upstreams) &&
        before.Bootstrap.SequenceEqual(after.Bootstrap) &&
        before.UpstreamStrategy == after.UpstreamStrategy &&
        before.UpstreamTimeout == after.UpstreamTimeout;

    public async ValueTask DisposeAsync()
    {
        foreach (var upstream in Upstreams)
        {
            await upstream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
