using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Palisade.Server.Blocklists.Sources;
using Palisade.Server.Configuration;

namespace Palisade.Server.Blocklists;

/// <summary>
/// Keeps the current <see cref="BlocklistSet"/>: loads the last good copies at start (so the server blocks from its
/// first query), refreshes the lists in the background every <c>blocking.refreshInterval</c> (sooner, with backoff,
/// after a failure), and on request (SIGHUP, <c>palisade lists update</c>). A new set is built off to the side and
/// published with one swap; a failed download never replaces a good list.
/// </summary>
public sealed partial class BlocklistManager : IDisposable
{
    private readonly BlockingOptions _options;
    private readonly BlocklistFetcher _fetcher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _updating = new(1, 1);
    private readonly RetryBackoff _backoff;
    private volatile BlocklistSet _current = BlocklistSet.Empty;
    private int _consecutiveFailures;

    public BlocklistManager(BlockingOptions options, BlocklistFetcher fetcher, TimeProvider time, ILogger<BlocklistManager> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _fetcher = fetcher;
        _time = time;
        _logger = logger;
        _backoff = RetryBackoff.ForRefreshInterval(options.RefreshInterval);
    }

    public void Dispose() => _updating.Dispose();

    /// <summary>The set in force now. Reading it is one volatile read.</summary>
    public BlocklistSet Current => _current;

    /// <summary>
    /// Builds the set from the copies in force now: local lists, and the last good copies of remote ones (on disk, or in
    /// memory when the cache directory could not be written).
    /// </summary>
    public BlocklistSet LoadStored()
    {
        var stopwatch = Stopwatch.StartNew();
        var set = BlocklistSetBuilder.Build(Inputs(), failure => LogListUnreadable(_logger, failure.Name, failure.Path, failure.Reason));
        Publish(set, stopwatch.Elapsed);
        foreach (var source in _options.Lists.Concat(_options.AllowLists).Where(s => s.IsRemote && _fetcher.LastGoodCopy(ToSource(s)) is null && _fetcher.InMemoryCopy(ToSource(s)) is null))
        {
            LogNotDownloadedYet(_logger, source.Name, source.Source);
        }

        return set;
    }

    /// <summary>
    /// Fetches every list that is due (all of them with <paramref name="force"/>), then rebuilds and publishes the set
    /// when anything changed. Updates never overlap.
    /// </summary>
    public async Task<IReadOnlyList<(BlocklistSourceOptions Source, FetchResult Result)>> UpdateAsync(
        bool force, Action<BlocklistSourceOptions, long>? progress, CancellationToken cancellation)
    {
        await _updating.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var results = new List<(BlocklistSourceOptions, FetchResult)>();
            foreach (var source in _options.Lists.Concat(_options.AllowLists))
            {
                var reporter = progress is null ? null : new Progress<long>(bytes => progress(source, bytes));
                var result = await _fetcher.FetchAsync(ToSource(source), _options.RefreshInterval, force, reporter, cancellation).ConfigureAwait(false);
                results.Add((source, result));
            }

            // A failed download was logged by the fetcher. A local list left out because it could not be read is
            // taken in as soon as it can be.
            _consecutiveFailures = results.Any(r => r.Item2.Status == FetchStatus.Failed) ? _consecutiveFailures + 1 : 0;
            if (force || results.Any(r => r.Item2.Status is FetchStatus.Downloaded) || _current == BlocklistSet.Empty
                || results.Any(r => r.Item2.Status == FetchStatus.LocalFile && _current.Unreadable.Any(u => u.Name == r.Item1.Name)))
            {
                LoadStored();
            }

            return results;
        }
        finally
        {
            _updating.Release();
        }
    }

    /// <summary>Refreshes in the background until <paramref name="stopping"/> ends: at the interval, or sooner after a failure.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await UpdateAsync(force: false, progress: null, stopping).ConfigureAwait(false);
                var wait = _consecutiveFailures > 0 ? _backoff.NextDelay(_consecutiveFailures) : _options.RefreshInterval;
                await Task.Delay(wait, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Whatever went wrong, the set in force stays, and refreshing goes on after a pause.
                LogRefreshFailed(_logger, exception);
                _consecutiveFailures++;
                try
                {
                    await Task.Delay(_backoff.NextDelay(_consecutiveFailures), _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>What to load: every configured list, allow list and the inline rules, each with its stored file.</summary>
    private List<BlocklistInput> Inputs()
    {
        var inputs = new List<BlocklistInput>();
        foreach (var list in _options.Lists)
        {
            inputs.Add(InputFor(list, isAllowList: false));
        }

        foreach (var list in _options.AllowLists)
        {
            inputs.Add(InputFor(list, isAllowList: true));
        }

        if (_options.Deny.Count > 0)
        {
            inputs.Add(new BlocklistInput("blocking.deny", "config", null, _options.Deny, Subdomains: false, IsAllowList: false) { InlineLineNumbers = _options.DenyLines });
        }

        if (_options.Allow.Count > 0)
        {
            inputs.Add(new BlocklistInput("blocking.allow", "config", null, _options.Allow, Subdomains: false, IsAllowList: true) { InlineLineNumbers = _options.AllowLines });
        }

        // A remote list with no stored copy yet has nothing to load; a local file is always tried, to say why it
        // cannot be read.
        return [.. inputs.Where(i => i.Path is not null || i.Body is not null || i.InlineLines is not null)];
    }

    /// <summary>
    /// A list's copy in force: a local file (whether or not it is there), a download held in memory (the cache
    /// directory could not be written), or the stored download.
    /// </summary>
    private BlocklistInput InputFor(BlocklistSourceOptions list, bool isAllowList)
    {
        var source = ToSource(list);
        return _fetcher.InMemoryCopy(source) is { } body
            ? new BlocklistInput(list.Name, list.Source, null, null, list.Subdomains, isAllowList) { Body = body }
            : new BlocklistInput(list.Name, list.Source, BlocklistFetcher.LocalPath(source) ?? _fetcher.LastGoodCopy(source), null, list.Subdomains, isAllowList);
    }

    private void Publish(BlocklistSet set, TimeSpan elapsed)
    {
        _current = set;

        // Building leaves the parsed strings and the old set behind: hand that memory back to the system now, once per
        // rebuild (at most a few times a day), rather than carry it as resident memory until the GC gets round to it.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        foreach (var list in set.Lists)
        {
            LogListLoaded(_logger, list.Name, list.Summary);
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            var contents = set.Describe();
            LogSetPublished(_logger, contents, elapsed.TotalMilliseconds, set.Matcher.ApproximateBytes / (1024.0 * 1024.0));
        }
    }

    private static BlocklistSource ToSource(BlocklistSourceOptions options) => new(options.Source, options.Name, options.Subdomains);

    [LoggerMessage(EventId = 320, Level = LogLevel.Information, Message = "Blocklist {Name}: {Summary}")]
    private static partial void LogListLoaded(ILogger logger, string name, Parsers.ParseSummary summary);

    [LoggerMessage(EventId = 321, Level = LogLevel.Information, Message = "Blocking {Contents} (built in {Milliseconds:F0} ms, {Megabytes:F1} MB)")]
    private static partial void LogSetPublished(ILogger logger, string contents, double milliseconds, double megabytes);

    // An error, not a warning: a list the user configured blocks nothing, and blocking may hold no domain at all.
    [LoggerMessage(EventId = 322, Level = LogLevel.Error, Message = "Blocklist {Name}: cannot read {Path}: {Reason}; it is left out of blocking")]
    private static partial void LogListUnreadable(ILogger logger, string name, string path, string reason);

    [LoggerMessage(EventId = 325, Level = LogLevel.Error, Message = "Refreshing the blocklists failed; the lists in force stay, and it is tried again")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 324, Level = LogLevel.Information, Message = "Blocklist {Name} ({Source}) has not been downloaded yet; it is fetched in the background")]
    private static partial void LogNotDownloadedYet(ILogger logger, string name, string source);
}
