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
        var set = BlocklistSetBuilder.Build(Inputs(), (input, reason) => LogListUnreadable(_logger, input.Name, input.Source, reason));
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
                if (result.Status == FetchStatus.Failed)
                {
                    LogFetchFailed(_logger, source.Name, result.Error ?? "unknown error");
                }
            }

            _consecutiveFailures = results.Any(r => r.Item2.Status == FetchStatus.Failed) ? _consecutiveFailures + 1 : 0;
            if (force || results.Any(r => r.Item2.Status is FetchStatus.Downloaded) || _current == BlocklistSet.Empty)
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
            inputs.Add(new BlocklistInput("blocking.deny", "config", null, _options.Deny, Subdomains: false, IsAllowList: false));
        }

        if (_options.Allow.Count > 0)
        {
            inputs.Add(new BlocklistInput("blocking.allow", "config", null, _options.Allow, Subdomains: false, IsAllowList: true));
        }

        // A remote list with no stored copy yet has nothing to load.
        return [.. inputs.Where(i => i.Path is not null || i.Body is not null || i.InlineLines is not null)];
    }

    /// <summary>A list's copy in force: a download held in memory (the cache directory could not be written) comes before the file.</summary>
    private BlocklistInput InputFor(BlocklistSourceOptions list, bool isAllowList)
    {
        var source = ToSource(list);
        return _fetcher.InMemoryCopy(source) is { } body
            ? new BlocklistInput(list.Name, list.Source, null, null, list.Subdomains, isAllowList) { Body = body }
            : new BlocklistInput(list.Name, list.Source, _fetcher.LastGoodCopy(source), null, list.Subdomains, isAllowList);
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

        LogSetPublished(_logger, set.Matcher.DomainCount, set.Regexes.Count, set.Lists.Count, elapsed.TotalMilliseconds, set.Matcher.ApproximateBytes / (1024.0 * 1024.0));
    }

    private static BlocklistSource ToSource(BlocklistSourceOptions options) => new(options.Source, options.Name, options.Subdomains);

    [LoggerMessage(EventId = 320, Level = LogLevel.Information, Message = "Blocklist {Name}: {Summary}")]
    private static partial void LogListLoaded(ILogger logger, string name, Parsers.ParseSummary summary);

    [LoggerMessage(EventId = 321, Level = LogLevel.Information, Message = "Blocking {Domains} domains and {Regexes} regex rules from {Lists} lists (built in {Milliseconds:F0} ms, {Megabytes:F1} MB)")]
    private static partial void LogSetPublished(ILogger logger, int domains, int regexes, int lists, double milliseconds, double megabytes);

    [LoggerMessage(EventId = 322, Level = LogLevel.Warning, Message = "Blocklist {Name} ({Source}) could not be read: {Reason}; it is left out")]
    private static partial void LogListUnreadable(ILogger logger, string name, string source, string reason);

    [LoggerMessage(EventId = 323, Level = LogLevel.Warning, Message = "Blocklist {Name} was not updated: {Reason}; the last good copy stays in force")]
    private static partial void LogFetchFailed(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 325, Level = LogLevel.Error, Message = "Refreshing the blocklists failed; the lists in force stay, and it is tried again")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 324, Level = LogLevel.Information, Message = "Blocklist {Name} ({Source}) has not been downloaded yet; it is fetched in the background")]
    private static partial void LogNotDownloadedYet(ILogger logger, string name, string source);
}
