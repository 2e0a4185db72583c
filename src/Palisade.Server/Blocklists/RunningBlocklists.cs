using Microsoft.Extensions.Logging;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Blocklists;

/// <summary>
/// A <see cref="BlocklistManager"/> as the server runs it: with the HTTP client it downloads with, its refresh loop, and
/// the refreshes asked for by SIGHUP, so that all of it can be stopped and released together when a reload replaces it.
/// </summary>
internal sealed partial class RunningBlocklists : IPipelinePart, IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Task _loop = Task.CompletedTask;
    private Task _refresh = Task.CompletedTask;

    private RunningBlocklists(BlocklistManager manager, HttpClient http, ILogger logger)
    {
        Manager = manager;
        _http = http;
        _logger = logger;
    }

    public BlocklistManager Manager { get; }

    /// <summary>The manager for the options' blocking settings with the stored lists loaded, or null when there is nothing to block.</summary>
    public static RunningBlocklists? CreateAndLoad(Configuration.PalisadeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        var manager = PalisadeServer.CreateBlocklists(options, timeProvider, loggerFactory, out var http);
        if (manager is null)
        {
            return null;
        }

        var running = new RunningBlocklists(manager, http!, loggerFactory.CreateLogger<RunningBlocklists>());
        manager.LoadStored();
        return running;
    }

    /// <summary>Starts the background refresh loop (every <c>blocking.refreshInterval</c>).</summary>
    public void Start()
    {
        lock (_lock)
        {
            _loop = Manager.RunAsync(_stopping.Token);
        }
    }

    /// <summary>Fetches every list now, in the background, and swaps in the new set (what SIGHUP does).</summary>
    public Task RefreshAsync()
    {
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return Task.CompletedTask;
            }

            var previous = _refresh;
            _refresh = Task.WhenAll(previous, Task.Run(RefreshCoreAsync));
            return _refresh;
        }
    }

    /// <summary>Stops the loop and any refresh (downloads are cancelled) and waits for them to end.</summary>
    public async Task StopAsync()
    {
        Task loop, refresh;
        lock (_lock)
        {
            _stopping.Cancel();
            (loop, refresh) = (_loop, _refresh);
        }

        await loop.ConfigureAwait(false);
        await refresh.ConfigureAwait(false);
    }

    /// <summary>A reload kept the lists: they are downloaded again (conditional requests), as SIGHUP always did.</summary>
    void IPipelinePart.Kept() => _ = RefreshAsync();

    Task IPipelinePart.ReleaseAsync(CancellationToken stopping) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Manager.Dispose();
        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task RefreshCoreAsync()
    {
        try
        {
            await Manager.UpdateAsync(force: true, progress: null, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The set in force stays; the loop tries again later.
            LogRefreshFailed(_logger, exception);
        }
    }

    [LoggerMessage(EventId = 330, Level = LogLevel.Warning, Message = "Refreshing the blocklists failed; the lists in force stay")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
