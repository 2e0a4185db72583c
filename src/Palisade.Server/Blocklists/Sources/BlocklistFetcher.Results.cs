namespace Palisade.Server.Blocklists.Sources;

/// <summary>What a fetch comes to: not modified, loaded, read in place or failed, with its one-line reason.</summary>
public sealed partial class BlocklistFetcher
{
    /// <summary>
    /// A 304: the copy stands and its fetch time is renewed. A copy held in memory is stored now if the disk takes it; a
    /// stored copy whose metadata cannot be renewed stays in force (it is asked about again at the next refresh).
    /// </summary>
    private FetchResult NotModified(
        BlocklistSource source,
        string display,
        CachePaths paths,
        InMemoryCopy? inMemory,
        CachedListMetadata previous,
        HttpResponseMessage response,
        long started)
    {
        var renewed = previous with
        {
            FetchedAt = _time.GetUtcNow(),
            ETag = response.Headers.ETag?.ToString() ?? previous.ETag,
            LastModified = response.Content.Headers.LastModified ?? previous.LastModified,
        };
        LogNotModified(_logger, source.Name, display);
        if (inMemory is not null)
        {
            var copy = inMemory with { Metadata = renewed };
            var stored = TryPersist(paths, copy);
            return Loaded(FetchStatus.NotModified, paths, stored is null ? copy : null, renewed, started);
        }

        try
        {
            WriteMetadata(paths, renewed);
        }
        catch (Exception e) when (DownloadSink.IsDiskFailure(e))
        {
            NoteCacheUnwritable(OneLine(e.Message));
        }

        return Loaded(FetchStatus.NotModified, paths, null, renewed, started);
    }

    /// <summary>A result naming the copy in force: the memory copy when there is one, else the stored file.</summary>
    private FetchResult Loaded(FetchStatus status, CachePaths paths, InMemoryCopy? inMemory, CachedListMetadata metadata, long started) =>
        inMemory is not null
            ? new FetchResult(status, null, null, metadata.Bytes, metadata.Rules, _time.GetElapsedTime(started)) { Body = inMemory.Body }
            : new FetchResult(status, paths.List, null, metadata.Bytes, metadata.Rules, _time.GetElapsedTime(started));

    /// <summary>The reason for the warning: why the directory could not be created, or why writing failed.</summary>
    private static string DiskReason(Exception? unusable, Exception failure) =>
        unusable is not null ? "cannot create it: " + OneLine(unusable.Message) : OneLine(failure.Message);

    /// <summary>
    /// A local list: checked, not read. A failure is not logged here: building the set reads the file and reports it,
    /// with the system's reason, every time it is built (at start, on SIGHUP).
    /// </summary>
    private FetchResult ReadLocal(string path, long started)
    {
        string reason;
        try
        {
            if (Directory.Exists(path))
            {
                reason = "is a directory, not a file";
            }
            else
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
                var length = stream.Length;
                return new FetchResult(FetchStatus.LocalFile, path, null, length, null, _time.GetElapsedTime(started));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = IoReason.Describe(e);
        }

        return new FetchResult(FetchStatus.Failed, null, $"{path}: {reason}", 0, null, _time.GetElapsedTime(started));
    }

    /// <summary>
    /// A failed download: logged once, naming the URL once, and saying what is in force instead (the last good copy,
    /// or nothing yet).
    /// </summary>
    private FetchResult Failed(BlocklistSource source, string display, string reason, CachePaths? paths, CachedListMetadata? previous, long started)
    {
        var error = $"{display}: {reason}";
        if (paths is not null && InMemoryCopyOf(paths) is { } inMemory)
        {
            LogFailed(_logger, source.Name, error, LastGoodCopyStays);
            return new FetchResult(FetchStatus.Failed, null, error, inMemory.Metadata.Bytes, inMemory.Metadata.Rules, _time.GetElapsedTime(started)) { Body = inMemory.Body };
        }

        string? path = null;
        long bytes = 0;
        if (paths is not null && File.Exists(paths.List))
        {
            path = paths.List;
            bytes = previous?.Bytes ?? SafeLength(paths.List);
        }

        LogFailed(_logger, source.Name, error, path is null ? NoCopyYet : LastGoodCopyStays);
        return new FetchResult(FetchStatus.Failed, path, error, bytes, path is null ? null : previous?.Rules, _time.GetElapsedTime(started));
    }

    private bool IsFresh(CachedListMetadata metadata, TimeSpan refreshInterval)
    {
        var age = _time.GetUtcNow() - metadata.FetchedAt;

        // A fetch time in the future means the clock moved back: the copy's age is unknown, so it is due.
        return age >= TimeSpan.Zero && age < refreshInterval;
    }
}
