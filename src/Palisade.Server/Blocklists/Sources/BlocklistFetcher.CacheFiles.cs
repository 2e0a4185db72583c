using System.Text.Json;

namespace Palisade.Server.Blocklists.Sources;

/// <summary>
/// The cache directory's files: creating the directory (and sweeping leftovers), reading and writing a list's metadata,
/// and storing a validated list over the last good copy with renames only.
/// </summary>
public sealed partial class BlocklistFetcher
{
    /// <summary>
    /// Creates the cache directory and, the first time, removes temporary files a crash left behind. Returns why the
    /// directory cannot be created, or null.
    /// </summary>
    private Exception? PrepareCacheDirectory()
    {
        lock (_prepareLock)
        {
            try
            {
                Directory.CreateDirectory(_cacheDir);
            }
            catch (Exception e) when (DownloadSink.IsDiskFailure(e))
            {
                return e;
            }

            if (!_prepared)
            {
                _prepared = true;
                var removed = 0;
                try
                {
                    foreach (var leftover in Directory.EnumerateFiles(_cacheDir, "*" + CachePaths.TempExtension))
                    {
                        if (TryDelete(leftover))
                        {
                            removed++;
                        }
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    LogCleanupFailed(_logger, _cacheDir, OneLine(e.Message));
                }

                if (removed > 0)
                {
                    LogTempFilesRemoved(_logger, removed, _cacheDir);
                }
            }

            return null;
        }
    }

    /// <summary>The stored metadata, when it describes the stored copy of this URL (else null: fetch unconditionally).</summary>
    private static CachedListMetadata? ReadMetadata(CachePaths paths, BlocklistSource source)
    {
        try
        {
            if (!File.Exists(paths.List) || !File.Exists(paths.Metadata))
            {
                return null;
            }

            var metadata = JsonSerializer.Deserialize(File.ReadAllBytes(paths.Metadata), CachedListMetadataJsonContext.Default.CachedListMetadata);
            if (metadata is null || metadata.Url != source.Location || metadata.Bytes != new FileInfo(paths.List).Length)
            {
                return null;
            }

            return metadata;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Replaces the metadata: written to a temporary file, then moved over the old one.</summary>
    private void WriteMetadata(CachePaths paths, CachedListMetadata metadata)
    {
        var temp = WriteMetadataTemp(paths, metadata);
        try
        {
            File.Move(temp, paths.Metadata, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private string WriteMetadataTemp(CachePaths paths, CachedListMetadata metadata)
    {
        var temp = paths.NewTempPath(_cacheDir, "meta");
        try
        {
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(metadata, CachedListMetadataJsonContext.Default.CachedListMetadata));
            return temp;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Stores a complete, validated list from <paramref name="listTemp"/>: the metadata is written first (to a temporary
    /// file) so that a full disk fails before the list is replaced; the moves that follow are renames within one directory.
    /// Throws on a disk failure, leaving the stored copy as it was.
    /// </summary>
    private void Store(CachePaths paths, string listTemp, CachedListMetadata metadata)
    {
        var metadataTemp = WriteMetadataTemp(paths, metadata);
        try
        {
            File.Move(listTemp, paths.List, overwrite: true);
            try
            {
                File.Move(metadataTemp, paths.Metadata, overwrite: true);
            }
            catch (Exception e) when (DownloadSink.IsDiskFailure(e))
            {
                // The new list is in place; stale metadata must not describe it (the next request is then unconditional).
                TryDelete(paths.Metadata);
            }
        }
        finally
        {
            TryDelete(metadataTemp);
        }
    }
}
