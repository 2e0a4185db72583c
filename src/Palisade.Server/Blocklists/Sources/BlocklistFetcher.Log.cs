using Microsoft.Extensions.Logging;

namespace Palisade.Server.Blocklists.Sources;

public sealed partial class BlocklistFetcher
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Blocklist {Name}: downloaded {Url} ({Bytes} bytes, {Rules} rules) in {Milliseconds} ms")]
    private static partial void LogDownloaded(ILogger logger, string name, string url, long bytes, int rules, long milliseconds);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Blocklist {Name}: {Url} is not modified")]
    private static partial void LogNotModified(ILogger logger, string name, string url);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Blocklist {Name}: the copy fetched at {FetchedAt:u} is up to date")]
    private static partial void LogUpToDate(ILogger logger, string name, DateTimeOffset fetchedAt);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Blocklist {Name} not updated: {Error}")]
    private static partial void LogFailed(ILogger logger, string name, string error);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "Removed {Count} unfinished downloads from {CacheDirectory}")]
    private static partial void LogTempFilesRemoved(ILogger logger, int count, string cacheDirectory);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Could not look for unfinished downloads in {CacheDirectory}: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string cacheDirectory, string reason);
}
