using Microsoft.Extensions.Logging;
using Palisade.Server.Blocklists;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;
using Palisade.Server.Transport.Listeners;
using Palisade.Server.Transport.Tls;

namespace Palisade.Server;

/// <summary>
/// Palisade put together from its options: upstreams, the resolver, the cache (left out when <c>cache.maxSize</c> is 0),
/// the pipeline and the listeners. The one place where the parts are wired; no service locator. A reload
/// (<see cref="ReloadAsync"/>) builds a new pipeline from new options and swaps it in while the listeners keep running.
/// </summary>
public sealed partial class PalisadeServer : IAsyncDisposable
{
    /// <summary>
    /// How long past the old <c>upstreamTimeout</c> a replaced pipeline's queries may keep its upstreams open: a query
    /// cannot wait for an upstream longer than the timeout, so past that nothing in the old pipeline needs them.
    /// </summary>
    private static readonly TimeSpan RetireMargin = TimeSpan.FromSeconds(5);

    private readonly DnsServer _server;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private volatile Parts _current;

    /// <summary>The retirements of replaced pipelines, one after the other (see <see cref="RetireAsync"/>).</summary>
    private Task _retirements = Task.CompletedTask;

    private PalisadeServer(DnsServer server, Parts parts, ServerCertificate? certificate, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _server = server;
        _current = parts;
        Certificate = certificate;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<PalisadeServer>();
    }

    /// <summary>The certificate served over TLS and HTTPS, or null when neither is configured.</summary>
    public ServerCertificate? Certificate { get; }

    /// <summary>The addresses serving DNS over TLS.</summary>
    public IReadOnlyList<System.Net.IPEndPoint> TlsEndPoints => _server.TlsEndPoints;

    /// <summary>Answers one query that came over HTTPS: see <see cref="DnsServer.AnswerHttpsQueryAsync"/>.</summary>
    public ValueTask AnswerHttpsQueryAsync<TState>(
        ReadOnlyMemory<byte> query,
        System.Net.IPEndPoint client,
        TState state,
        Func<TState, ReadOnlyMemory<byte>, ValueTask> send,
        CancellationToken cancellation) =>
        _server.AnswerHttpsQueryAsync(query, client, state, send, cancellation);

    /// <summary>The options in force: the last good reload's, with the settings only a restart applies as at start.</summary>
    public PalisadeOptions Options => _current.Options;

    /// <summary>The blocklists in force, or null when blocking is off (no list and no deny rule).</summary>
    public BlocklistManager? Blocklists => _current.Blocklists?.Manager;

    /// <summary>The addresses being served (real ports when 0 was asked for).</summary>
    public IReadOnlyList<System.Net.IPEndPoint> EndPoints => _server.EndPoints;

    /// <summary>The response cache in force, or null when it is off.</summary>
    public ResponseCache? Cache => _current.Cache;

    /// <summary>Builds and starts a server; throws <see cref="ListenerBindException"/> when an address cannot be bound.</summary>
    public static async Task<PalisadeServer> StartAsync(PalisadeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, ListenerLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger<PalisadeServer>();
        foreach (string line in ConfigurationFormatter.ToDisplayLines(options))
        {
            LogSetting(logger, line);
        }

        // Loaded first: a certificate that does not load is a configuration error, found before anything is bound.
        var certificate = LoadCertificate(options, timeProvider, loggerFactory);
        var parts = BuildParts(options, previous: null, timeProvider, loggerFactory);
        DnsServer server;
        try
        {
            server = await DnsServer.StartAsync(options.Listen, parts.Pipeline, limits ?? new ListenerLimits(), timeProvider, loggerFactory, options.TlsListen, certificate).ConfigureAwait(false);
        }
        catch
        {
            await ReleaseAsync(parts, keep: null).ConfigureAwait(false);
            certificate?.Dispose();
            throw;
        }

        parts.Blocklists?.Start();
        return new PalisadeServer(server, parts, certificate, timeProvider, loggerFactory);
    }

    /// <summary>
    /// Applies <paramref name="options"/>, validated as at start, while serving: a new pipeline is built and put in front
    /// of the listeners; queries in flight finish in the old one. Parts whose settings did not change are kept (a warm
    /// cache stays warm; unchanged blocklists are refreshed instead, as SIGHUP always did). Settings that only a restart
    /// applies (<see cref="ConfigurationChanges.RestartRequired"/>) stay as they are and are reported. Reloads run one at a time.
    /// </summary>
    /// <exception cref="TlsCertificateException">The certificate files do not load; nothing has changed.</exception>
    public async Task<ConfigurationReloadResult> ReloadAsync(PalisadeOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        await _reloading.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            // As at start; the pair is only looked at here: the one in use changes at a restart (or when its files do).
            LoadCertificate(options, _timeProvider, _loggerFactory)?.Dispose();

            var before = _current;
            var changed = ConfigurationChanges.Compare(before.Options, options);
            var restartRequired = changed.Where(ConfigurationChanges.RestartRequired.Contains).ToList();
            var effective = options with
            {
                Listen = before.Options.Listen,
                TlsListen = before.Options.TlsListen,
                HttpsListen = before.Options.HttpsListen,
                Tls = before.Options.Tls,
            };

            var retired = Task.CompletedTask;
            if (effective != before.Options)
            {
                var lines = ConfigurationFormatter.ToDisplayLines(before.Options);
                foreach (string line in ConfigurationFormatter.ToDisplayLines(effective).Except(lines, StringComparer.Ordinal))
                {
                    LogSetting(_logger, line);
                }

                var after = BuildParts(effective, before, _timeProvider, _loggerFactory);
                _server.ReplacePipeline(after.Pipeline);
                _current = after;
                if (after.Blocklists != before.Blocklists)
                {
                    after.Blocklists?.Start();
                }

                retired = _retirements = RetireAsync(_retirements, before, after);
            }

            if (_current.Blocklists is { } kept && kept == before.Blocklists)
            {
                _ = kept.RefreshAsync();
            }

            return new ConfigurationReloadResult(changed, restartRequired) { Retired = retired };
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>Fetches every list now (conditional requests) and swaps in the new set, in the background.</summary>
    public Task RefreshBlocklistsAsync() => _current.Blocklists?.RefreshAsync() ?? Task.CompletedTask;

    /// <summary>Stops serving: no new queries, those in flight finished (bounded), everything closed.</summary>
    public async Task StopAsync()
    {
        if (_current.Blocklists is { } blocklists)
        {
            await blocklists.StopAsync().ConfigureAwait(false);
        }

        await _server.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // Replaced pipelines are closed at once now, and their parts released, before what is in force.
        await _disposing.CancelAsync().ConfigureAwait(false);
        await _retirements.ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
        await ReleaseAsync(_current, keep: null).ConfigureAwait(false);
        Certificate?.Dispose();
        _reloading.Dispose();
        _disposing.Dispose();
    }

    private static ServerCertificate? LoadCertificate(PalisadeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        options.TlsListen.Count > 0 || options.HttpsListen.Count > 0
            ? ServerCertificate.Load(options.Tls.Certificate!, options.Tls.PrivateKey!, timeProvider, loggerFactory.CreateLogger<ServerCertificate>())
            : null;

    /// <summary>
    /// Releases what only <paramref name="before"/> used, once no query can use it. The old pipeline counts the
    /// queries inside it (<see cref="Pipeline.PipelineGeneration"/>): it is closed when the last one leaves, or at the
    /// latest after its <c>upstreamTimeout</c> and <see cref="RetireMargin"/>. Retirements run in order, each after the
    /// one before: a part one generation kept from an older one is released only after the older one is closed too.
    /// </summary>
    private async Task RetireAsync(Task previousRetirement, Parts before, Parts after)
    {
        await previousRetirement.ConfigureAwait(false);
        try
        {
            if (before.Blocklists is { } blocklists && blocklists != after.Blocklists)
            {
                // No more downloads for lists no longer in force; the old set stays readable for the queries still inside.
                await blocklists.StopAsync().ConfigureAwait(false);
            }

            await before.Pipeline.RetireAsync(after.Pipeline, before.Options.UpstreamTimeout + RetireMargin, _timeProvider, _disposing.Token).ConfigureAwait(false);
            await ReleaseAsync(before, keep: after).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogRetireFailed(_logger, exception);
        }
    }

    /// <summary>Releases the parts of <paramref name="parts"/> that <paramref name="keep"/> does not use.</summary>
    private static async Task ReleaseAsync(Parts parts, Parts? keep)
    {
        if (parts.Upstreams != keep?.Upstreams)
        {
            await parts.Upstreams.DisposeAsync().ConfigureAwait(false);
        }

        if (parts.Blocklists is { } blocklists && blocklists != keep?.Blocklists)
        {
            await blocklists.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Setting}")]
    private static partial void LogSetting(ILogger logger, string setting);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Releasing the parts of a replaced configuration failed")]
    private static partial void LogRetireFailed(ILogger logger, Exception exception);
}
