using Microsoft.Extensions.Logging;
using Palisade.Server.Configuration;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// The upstreams of one configuration and the resolver that chooses among them. A reload that leaves <c>upstreams</c>,
/// <c>bootstrap</c>, <c>upstreamStrategy</c> and <c>upstreamTimeout</c> alone keeps the set, with its open connections
/// and what it has learnt of each upstream's health and latency.
/// </summary>
internal sealed class UpstreamSet : IPipelinePart, IAsyncDisposable
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

    /// <summary>How long past the upstream timeout closing waits for background exchanges: each is bounded by the
    /// timeout, so past that something is wrong, and closing goes ahead.</summary>
    private static readonly TimeSpan BackgroundMargin = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Closes the upstreams once no exchange runs in the background any more (a shared exchange whose clients left, a
    /// probe): none starts from now on, and those running finish first, within the upstream timeout and a margin, or
    /// until <paramref name="stopping"/> ends (the server is being disposed: nothing waits then).
    /// </summary>
    public async Task ReleaseAsync(CancellationToken stopping)
    {
        await Resolver.Background.CloseAsync(Resolver.Timeout + BackgroundMargin, Resolver.TimeProvider, stopping).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var upstream in Upstreams)
        {
            await upstream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
