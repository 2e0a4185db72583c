namespace Palisade.Server.Blocklists.Sources;

/// <summary>
/// Where the body of one download goes: a temporary file in the cache directory, or memory from the first failure to
/// create or write that file (a read-only directory, a full disk). The bytes already written are read back, so the list
/// is not fetched twice, and the partial file is deleted at once: it can never be moved over the last good copy. Memory
/// stays bounded by the fetcher's size cap, which is checked before every write. Disposing deletes the temporary file.
/// </summary>
internal sealed class DownloadSink : IAsyncDisposable
{
    private const int ReadBackBufferSize = 64 * 1024;

    private readonly int _memoryCapacity;
    private FileStream? _file;
    private MemoryStream? _memory;
    private long _written;

    private DownloadSink(string tempPath, long? expectedBytes)
    {
        TempPath = tempPath;
        _memoryCapacity = expectedBytes is > 0 and <= int.MaxValue ? (int)expectedBytes.Value : 0;
    }

    /// <summary>The temporary file (it exists only while the body is on disk).</summary>
    public string TempPath { get; }

    /// <summary>Why the body went to memory; null while it is on disk.</summary>
    public Exception? DiskFailure { get; private set; }

    /// <summary>The body is held in memory (see <see cref="DiskFailure"/>).</summary>
    public bool InMemory => _memory is not null;

    /// <summary>
    /// Creates the temporary file, or starts in memory when <paramref name="unusable"/> says the cache directory cannot
    /// be used or the file cannot be created.
    /// </summary>
    public static DownloadSink Open(string tempPath, long? expectedBytes, Exception? unusable)
    {
        var sink = new DownloadSink(tempPath, expectedBytes);
        if (unusable is not null)
        {
            sink.SwitchToMemory(unusable);
            return sink;
        }

        try
        {
            sink._file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        }
        catch (Exception e) when (IsDiskFailure(e))
        {
            sink.SwitchToMemory(e);
        }

        return sink;
    }

    /// <summary>Whether <paramref name="e"/> is the disk refusing (permissions, read-only, full, I/O), not a bug.</summary>
    public static bool IsDiskFailure(Exception e) => e is IOException or UnauthorizedAccessException;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellation)
    {
        if (_file is not null)
        {
            try
            {
                await _file.WriteAsync(chunk, cancellation).ConfigureAwait(false);
                _written += chunk.Length;
                return;
            }
            catch (Exception e) when (IsDiskFailure(e))
            {
                SwitchToMemory(e);
            }
        }

        _memory!.Write(chunk.Span);
    }

    /// <summary>Ends the body: the file is flushed and closed (or the body goes to memory if that fails).</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellation)
    {
        if (_file is null)
        {
            return;
        }

        try
        {
            await _file.FlushAsync(cancellation).ConfigureAwait(false);
            await _file.DisposeAsync().ConfigureAwait(false);
            _file = null;
        }
        catch (Exception e) when (IsDiskFailure(e))
        {
            SwitchToMemory(e);
        }
    }

    /// <summary>
    /// Moves the complete body to memory after the file could not be stored (the metadata or the move failed on a full or
    /// read-only disk). Call after <see cref="CompleteAsync"/>.
    /// </summary>
    public void FallBackToMemory(Exception reason)
    {
        if (!InMemory)
        {
            SwitchToMemory(reason);
        }
    }

    /// <summary>Reads the body (from the file or from memory); the caller disposes the stream.</summary>
    public Stream OpenRead() => _memory is { } memory
        ? new MemoryStream(memory.GetBuffer(), 0, (int)memory.Length, writable: false)
        : new FileStream(TempPath, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBackBufferSize);

    /// <summary>The body held in memory (trimmed to its length); only when <see cref="InMemory"/>.</summary>
    public ReadOnlyMemory<byte> TakeBody()
    {
        var memory = _memory ?? throw new InvalidOperationException("The body is on disk.");
        return memory.Capacity == memory.Length ? memory.GetBuffer() : memory.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            try
            {
                await _file.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (IsDiskFailure(e))
            {
                // The file is deleted below either way.
            }

            _file = null;
        }

        TryDelete(TempPath);
    }

    /// <summary>
    /// From now on the body goes to memory: the bytes the file took (a prefix of the body) are read back, and the file is
    /// deleted. A failure to read them back propagates (the download then fails and the last good copy stands).
    /// </summary>
    private void SwitchToMemory(Exception reason)
    {
        DiskFailure = reason;
        if (_file is not null)
        {
            try
            {
                _file.Dispose();
            }
            catch (Exception e) when (IsDiskFailure(e))
            {
                // Nothing is buffered (buffer size 0): what was written is what _written counts.
            }

            _file = null;
        }

        var memory = new MemoryStream(Math.Max(_memoryCapacity, (int)Math.Min(_written, int.MaxValue)));
        try
        {
            if (_written > 0)
            {
                using var file = new FileStream(TempPath, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBackBufferSize);
                CopyExactly(file, memory, _written);
            }
        }
        finally
        {
            TryDelete(TempPath);
        }

        _memory = memory;
    }

    private static void CopyExactly(Stream from, Stream to, long count)
    {
        var buffer = new byte[(int)Math.Min(count, ReadBackBufferSize)];
        while (count > 0)
        {
            var read = from.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
            if (read == 0)
            {
                throw new IOException("the temporary file is shorter than what was written to it");
            }

            to.Write(buffer, 0, read);
            count -= read;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (IsDiskFailure(e))
        {
            // Left behind: the fetcher removes leftover temporary files when it next prepares the directory.
        }
    }
}
