using System.Collections.Concurrent;

namespace Palisade.Server.Blocklists.Sources;

/// <summary>
/// When the cache directory cannot be created or written (read-only, full, no permission), a validated download is not
/// thrown away: it is kept in memory and served from there, with one warning per failure streak, until a later
/// download or refresh stores it on disk again. The last good copy on disk is never touched by a failed write.
/// </summary>
public sealed partial class BlocklistFetcher
{
    private readonly ConcurrentDictionary<string, InMemoryCopy> _inMemory = new(StringComparer.Ordinal);
    private int _cacheUnwritable;

    /// <summary>
    /// The list a remote source would load now when it is held in memory only (the cache directory could not be
    /// written when it was downloaded); null otherwise (then <see cref="LastGoodCopy"/> names the file). It is newer
    /// than any file on disk for the source.
    /// </summary>
    public ReadOnlyMemory<byte>? InMemoryCopy(BlocklistSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        // Typed null: a plain null would convert (through byte[]) to an empty list.
        return Classify(source, out _, out _) == SourceKind.Remote && _inMemory.TryGetValue(CachePaths.For(_cacheDir, source).Stem, out var copy)
            ? copy.Body
            : (ReadOnlyMemory<byte>?)null;
    }

    private InMemoryCopy? InMemoryCopyOf(CachePaths paths) => _inMemory.TryGetValue(paths.Stem, out var copy) ? copy : null;

    /// <summary>Keeps a validated download in memory, because <paramref name="reason"/> stopped it being stored.</summary>
    private void KeepInMemory(CachePaths paths, InMemoryCopy copy, string reason)
    {
        _inMemory[paths.Stem] = copy;
        NoteCacheUnwritable(reason);
    }

    /// <summary>Warns once per failure streak (later failures are logged at debug level).</summary>
    private void NoteCacheUnwritable(string reason)
    {
        if (Interlocked.Exchange(ref _cacheUnwritable, 1) == 0)
        {
            LogCacheUnwritable(_logger, _cacheDir, reason);
        }
        else
        {
            LogCacheStillUnwritable(_logger, _cacheDir, reason);
        }
    }

    /// <summary>A list was stored: its memory copy goes, and the end of a failure streak is logged.</summary>
    private void NoteStored(CachePaths paths)
    {
        _inMemory.TryRemove(paths.Stem, out _);
        if (Interlocked.Exchange(ref _cacheUnwritable, 0) == 1)
        {
            LogCacheWritableAgain(_logger, _cacheDir);
        }
    }

    /// <summary>
    /// After a 304 for a list held in memory: tries to store it, now that the disk may have recovered. Returns the stored
    /// path, or null (and notes the failure) when it still cannot be written; the memory copy then carries the renewed metadata.
    /// </summary>
    private string? TryPersist(CachePaths paths, InMemoryCopy renewed)
    {
        var temp = paths.NewTempPath(_cacheDir, "download");
        try
        {
            Directory.CreateDirectory(_cacheDir);
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                file.Write(renewed.Body.Span);
            }

            Store(paths, temp, renewed.Metadata);
            NoteStored(paths);
            return paths.List;
        }
        catch (Exception e) when (DownloadSink.IsDiskFailure(e))
        {
            KeepInMemory(paths, renewed, OneLine(e.Message));
            return null;
        }
        finally
        {
            TryDelete(temp);
        }
    }
}
