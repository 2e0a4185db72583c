using Microsoft.Extensions.Logging;
using Palisade.Server.Blocklists;
using Palisade.Server.Blocklists.Sources;
using Palisade.Server.Configuration;
using Palisade.Server.Observability;
using Palisade.Server.Pipeline;

namespace Palisade.Server;

/// <summary>Building a generation from the options (the same code at start and on a reload), and what it is served with.</summary>
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
    /// The generation for <paramref name="options"/>, built from <see cref="PipelineTable"/>. With
    /// <paramref name="previous"/> (a reload), a step's part whose settings did not change is taken over rather than
    /// made again: the cache stays warm, the rate table keeps counting, the blocklists are not rebuilt, the upstreams
    /// keep their connections and health. A part in <paramref name="madeAhead"/> (the access list, made before the
    /// start-up lines that show it) is used as it is.
    /// </summary>
    private static Generation Build(PalisadeOptions options, Generation? previous, Instruments instruments, TimeProvider timeProvider, ILoggerFactory loggerFactory, PipelineParts? madeAhead = null)
    {
        var (pipeline, parts) = PipelineTable.Build(options, previous is null ? null : (previous.Options, previous.Parts), instruments, timeProvider, loggerFactory, madeAhead);
        return new Generation(options, pipeline, parts);
    }

    /// <summary>What one configuration is served with: its options, its pipeline, and the parts of its steps.</summary>
    private sealed record Generation(PalisadeOptions Options, PipelineGeneration Pipeline, PipelineParts Parts)
    {
        /// <summary>The parts with a life of their own (see <see cref="IPipelinePart"/>).</summary>
        public IEnumerable<IPipelinePart> LivingParts => Parts.All.OfType<IPipelinePart>();
    }
}
