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

    /// <summary>What <see cref="LogFailed"/> says is in force after a failed download, when there is a copy.</summary>
    public const string LastGoodCopyStays = "the last good copy stays in force";

    /// <summary>What <see cref="LogFailed"/> says after a failed download, when no download has ever succeeded.</summary>
    public const string NoCopyYet = "no copy yet: the list is not in force";

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Blocklist {Name} was not updated from {Error}; {InForce}")]
    private static partial void LogFailed(ILogger logger, string name, string error, string inForce);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "Removed {Count} unfinished downloads from {CacheDirectory}")]
    private static partial void LogTempFilesRemoved(ILogger logger, int count, string cacheDirectory);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Could not look for unfinished downloads in {CacheDirectory}: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string cacheDirectory, string reason);

    [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "The blocklist cache directory {CacheDirectory} cannot be written ({Reason}): downloaded lists are served from memory and will not survive a restart")]
    private static partial void LogCacheUnwritable(ILogger logger, string cacheDirectory, string reason);

    [LoggerMessage(EventId = 307, Level = LogLevel.Debug, Message = "The blocklist cache directory {CacheDirectory} still cannot be written ({Reason}); the list is kept in memory")]
    private static partial void LogCacheStillUnwritable(ILogger logger, string cacheDirectory, string reason);

    [LoggerMessage(EventId = 308, Level = LogLevel.Information, Message = "The blocklist cache directory {CacheDirectory} can be written again: downloaded lists are stored there")]
    private static partial void LogCacheWritableAgain(ILogger logger, string cacheDirectory);

    [LoggerMessage(EventId = 309, Level = LogLevel.Information, Message = "Blocklist {Name}: downloaded {Url} ({Bytes} bytes, {Rules} rules) in {Milliseconds} ms; kept in memory only")]
    private static partial void LogDownloadedToMemory(ILogger logger, string name, string url, long bytes, int rules, long milliseconds);
}
