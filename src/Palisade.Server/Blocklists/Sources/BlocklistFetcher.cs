using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Palisade.Server.Blocklists.Sources;

/// <summary>
/// Fetches blocklists and keeps the last good copy of each. A URL is downloaded into the cache directory (one file
/// a source, with JSON metadata beside it), refreshed with conditional requests, and not fetched again while younger
/// than the refresh interval. A download replaces the stored copy only when it is complete and plausible: it goes to
/// a temporary file, is parsed, and is then moved over the old copy. Anything else (an HTTP error, a timeout, a body
/// cut short, empty, too large, without rules, or much smaller than the last copy) is a <see cref="FetchStatus.Failed"/>
/// result with a one-line reason, and the last good copy stands. A cache directory that cannot be created or written
/// (read-only, full) does not stop a good download: it is kept and served from memory (see
/// <see cref="InMemoryCopy(BlocklistSource)"/>) and never half-written over the stored copy. A local file is read in place.
/// </summary>
public sealed partial class BlocklistFetcher
{
    private const int BufferSize = 64 * 1024;

    private static readonly ProductInfoHeaderValue UserAgent = new(
        "Palisade",
        typeof(BlocklistFetcher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    private readonly HttpClient _http;
    private readonly string _cacheDir;
    private readonly TimeProvider _time;
    private readonly ILogger<BlocklistFetcher> _logger;
    private readonly BlocklistFetcherOptions _options;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly Lock _prepareLock = new();
    private bool _prepared;

    /// <param name="http">The client for downloads (its handler decides proxies, redirects and decompression).</param>
    /// <param name="cacheDir">Where downloaded lists are kept; created when needed.</param>
    /// <param name="time">The clock for refresh intervals, timeouts and metadata.</param>
    /// <param name="logger">The log.</param>
    /// <param name="options">Limits; <see cref="BlocklistFetcherOptions.Default"/> when null.</param>
    public BlocklistFetcher(
        HttpClient http,
        string cacheDir,
        TimeProvider time,
        ILogger<BlocklistFetcher> logger,
        BlocklistFetcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDir);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options ??= BlocklistFetcherOptions.Default;
        options.Validate();
        _http = http;
        _cacheDir = Path.GetFullPath(cacheDir);
        _time = time;
        _logger = logger;
        _options = options;
    }

    /// <summary>The cache directory (full path).</summary>
    public string CacheDirectory => _cacheDir;

    /// <inheritdoc cref="FetchAsync(BlocklistSource, TimeSpan, bool, IProgress{long}?, CancellationToken)"/>
    public Task<FetchResult> FetchAsync(BlocklistSource source, TimeSpan refreshInterval, bool force, CancellationToken cancellation) =>
        FetchAsync(source, refreshInterval, force, progress: null, cancellation);

    /// <summary>
    /// Fetches a list when it is due (or <paramref name="force"/>d), keeping the last good copy on any failure.
    /// Expected failures (network, server, content, disk) give a <see cref="FetchStatus.Failed"/> result; only
    /// cancellation by <paramref name="cancellation"/> throws.
    /// </summary>
    /// <param name="source">The list.</param>
    /// <param name="refreshInterval">A stored copy younger than this is not fetched again (unless forced).</param>
    /// <param name="force">Fetch even when the stored copy is young (still a conditional request).</param>
    /// <param name="progress">Told the bytes received so far as a download goes.</param>
    /// <param name="cancellation">Stops the fetch (it then throws <see cref="OperationCanceledException"/>).</param>
    public async Task<FetchResult> FetchAsync(
        BlocklistSource source,
        TimeSpan refreshInterval,
        bool force,
        IProgress<long>? progress,
        CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(source);
        var started = _time.GetTimestamp();
        var kind = Classify(source, out var uri, out var localPath);
        switch (kind)
        {
            case SourceKind.Local:
                return ReadLocal(localPath!, started);
            case SourceKind.Unsupported:
                return Failed(source, source.Location, $"unsupported scheme '{uri!.Scheme}' (use http://, https:// or a file path)", paths: null, previous: null, started);
            default:
                break;
        }

        var paths = CachePaths.For(_cacheDir, source);
        var gate = _gates.GetOrAdd(paths.Stem, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            // A cache directory that cannot be created does not stop the download: it is then kept in memory.
            var unusable = PrepareCacheDirectory();
            var inMemory = InMemoryCopyOf(paths);
            var previous = inMemory?.Metadata ?? ReadMetadata(paths, source);
            if (!force && previous is not null && IsFresh(previous, refreshInterval))
            {
                LogUpToDate(_logger, source.Name, previous.FetchedAt);
                return Loaded(FetchStatus.UpToDate, paths, inMemory, previous, started);
            }

            return await DownloadAsync(source, uri!, paths, unusable, inMemory, previous, progress, started, cancellation).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The full path of a local list, or null for a URL.</summary>
    public static string? LocalPath(BlocklistSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Classify(source, out _, out var localPath) == SourceKind.Local ? localPath : null;
    }

    /// <summary>
    /// The stored list a source would load now: the local file, or the stored copy of a URL; null when there is none.
    /// A URL's download held in memory (<see cref="InMemoryCopy"/>) is newer and comes first.
    /// </summary>
    public string? LastGoodCopy(BlocklistSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Classify(source, out _, out var localPath) switch
        {
            SourceKind.Local => File.Exists(localPath) ? localPath : null,
            SourceKind.Remote => CachePaths.For(_cacheDir, source).List is var list && File.Exists(list) ? list : null,
            _ => null,
        };
    }

    private async Task<FetchResult> DownloadAsync(
        BlocklistSource source,
        Uri uri,
        CachePaths paths,
        Exception? unusable,
        InMemoryCopy? inMemory,
        CachedListMetadata? previous,
        IProgress<long>? progress,
        long started,
        CancellationToken cancellation)
    {
        var display = Display(uri);
        using var total = new CancellationTokenSource(_options.Timeout, _time);
        using var stall = new CancellationTokenSource(_options.StallTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, total.Token, stall.Token);
        var token = linked.Token;
        long received = 0;
        long? declared = null;
        var onDisk = false;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        DownloadSink? sink = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (_http.DefaultRequestHeaders.UserAgent.Count == 0)
            {
                request.Headers.UserAgent.Add(UserAgent);
            }

            if (previous?.ETag is { } etag)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            }

            if (previous?.LastModified is { } lastModified)
            {
                request.Headers.IfModifiedSince = lastModified;
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return previous is null
                    ? Failed(source, display, "answered 304 Not Modified to a request that was not conditional", paths, previous, started)
                    : NotModified(source, display, paths, inMemory, previous, response, started);
            }

            if (!response.IsSuccessStatusCode)
            {
                var reason = string.IsNullOrWhiteSpace(response.ReasonPhrase) ? "" : " " + OneLine(response.ReasonPhrase);
                return Failed(source, display, Invariant($"HTTP {(int)response.StatusCode}{reason}"), paths, previous, started);
            }

            declared = response.Content.Headers.ContentLength;
            if (declared > _options.MaxBytes)
            {
                return Failed(source, display, Invariant($"the list is {declared:N0} bytes, over the size cap of {_options.MaxBytes:N0}"), paths, previous, started);
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            stall.CancelAfter(_options.StallTimeout);
            var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                // A disk that refuses the file (read-only, full) sends the body to memory instead; only reading back
                // what was written before the failure can throw here.
                onDisk = true;
                sink = DownloadSink.Open(paths.NewTempPath(_cacheDir, "download"), declared, unusable);
                onDisk = false;
                while (true)
                {
                    var read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    received += read;
                    if (received > _options.MaxBytes)
                    {
                        return Failed(source, display, Invariant($"the list is over the size cap of {_options.MaxBytes:N0} bytes"), paths, previous, started);
                    }

                    stall.CancelAfter(_options.StallTimeout);
                    hash.AppendData(buffer, 0, read);
                    onDisk = true;
                    await sink.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
                    onDisk = false;
                    progress?.Report(received);
                }

                onDisk = true;
                await sink.CompleteAsync(token).ConfigureAwait(false);
                onDisk = false;
            }

            if (declared is { } length && received < length)
            {
                return Failed(source, display, Invariant($"the body was cut short: {received:N0} of {length:N0} bytes"), paths, previous, started);
            }

            if (received == 0)
            {
                return Failed(source, display, "the server sent an empty body", paths, previous, started);
            }

            onDisk = true;
            var summary = Parse(sink, source);
            onDisk = false;
            var rules = summary.Rules + summary.RegexRules;
            if (rules == 0)
            {
                return Failed(source, display, Invariant($"the list has no rules ({received:N0} bytes, {summary.Lines:N0} lines)"), paths, previous, started);
            }

            if (previous is { Rules: > 0 } && rules < previous.Rules * _options.MinimumRetainedFraction)
            {
                return Failed(
                    source,
                    display,
                    Invariant($"the list shrank from {previous.Rules:N0} to {rules:N0} rules (under {_options.MinimumRetainedFraction:P0} of the last good copy)"),
                    paths,
                    previous,
                    started);
            }

            var metadata = new CachedListMetadata(
                source.Location,
                response.Headers.ETag?.ToString(),
                response.Content.Headers.LastModified,
                _time.GetUtcNow(),
                received,
                rules,
                Convert.ToHexStringLower(hash.GetHashAndReset()));
            onDisk = true;
            if (!sink.InMemory)
            {
                try
                {
                    Store(paths, sink.TempPath, metadata);
                }
                catch (Exception e) when (DownloadSink.IsDiskFailure(e))
                {
                    sink.FallBackToMemory(e);
                }
            }

            onDisk = false;
            var duration = _time.GetElapsedTime(started);
            if (sink.InMemory)
            {
                var copy = new InMemoryCopy(metadata, sink.TakeBody());
                KeepInMemory(paths, copy, DiskReason(unusable, sink.DiskFailure!));
                LogDownloadedToMemory(_logger, source.Name, display, received, rules, (long)duration.TotalMilliseconds);
                return new FetchResult(FetchStatus.Downloaded, null, null, received, rules, duration) { Body = copy.Body };
            }

            NoteStored(paths);
            LogDownloaded(_logger, source.Name, display, received, rules, (long)duration.TotalMilliseconds);
            return new FetchResult(FetchStatus.Downloaded, paths.List, null, received, rules, duration);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            var reason = total.IsCancellationRequested ? Invariant($"timed out after {Seconds(_options.Timeout)}")
                : stall.IsCancellationRequested ? Invariant($"stalled: no data for {Seconds(_options.StallTimeout)}")
                : "timed out (the HTTP client's own timeout)";
            return Failed(source, display, reason + Invariant($" ({received:N0} bytes received)"), paths, previous, started);
        }
        catch (HttpRequestException e)
        {
            return Failed(source, display, "request failed: " + OneLine(e.Message), paths, previous, started);
        }
        catch (IOException e) when (!onDisk)
        {
            var of = declared is { } length ? Invariant($" of {length:N0}") : "";
            var reason = received > 0 || declared is not null
                ? Invariant($"the body was cut short: the connection broke after {received:N0}{of} bytes ({OneLine(e.Message)})")
                : "the connection failed: " + OneLine(e.Message);
            return Failed(source, display, reason, paths, previous, started);
        }
        catch (Exception e) when (onDisk && DownloadSink.IsDiskFailure(e))
        {
            // Only when even memory could not take the body (what was written could not be read back).
            return Failed(source, display, $"cannot write the cache directory {_cacheDir}: {OneLine(e.Message)}", paths, previous, started);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (sink is not null)
            {
                await sink.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
