using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Palisade.Server.Blocklists;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;
using Palisade.Server.Observability;
using Palisade.Server.Observability.Metrics;
using Palisade.Server.Pipeline;
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
    private volatile Generation _current;
    private readonly Instruments _instruments;

    /// <summary>The retirements of replaced pipelines, one after the other (see <see cref="RetireAsync"/>).</summary>
    private Task _retirements = Task.CompletedTask;

    private PalisadeServer(DnsServer server, Generation generation, Instruments instruments, ServerCertificate? certificate, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _server = server;
        _instruments = instruments;
        _current = generation;
        Certificate = certificate;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<PalisadeServer>();
    }

    /// <summary>
    /// This server's instruments (<see cref="QueryMetrics"/>): one <see cref="System.Diagnostics.Metrics.Meter"/> per
    /// server, named <see cref="QueryMetrics.MeterName"/>, so that two servers in one process count apart.
    /// </summary>
    public Meter Meter => _instruments.Meter;

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
    public BlocklistManager? Blocklists => _current.Parts.Get<RunningBlocklists>(PipelineTable.Blocking)?.Manager;

    /// <summary>The addresses being served (real ports when 0 was asked for).</summary>
    public IReadOnlyList<System.Net.IPEndPoint> EndPoints => _server.EndPoints;

    /// <summary>The response cache in force, or null when it is off.</summary>
    public ResponseCache? Cache => _current.Parts.Get<ResponseCache>(PipelineTable.Cache);

    /// <summary>Builds and starts a server; throws <see cref="ListenerBindException"/> when an address cannot be bound.</summary>
    public static async Task<PalisadeServer> StartAsync(PalisadeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, ListenerLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger<PalisadeServer>();

        // Made first, so that the access line shows this machine's networks as they were read.
        var instruments = new Instruments(timeProvider, loggerFactory);
        var access = PipelineTable.CreateAccessList(options.Access, timeProvider, loggerFactory);
        foreach (string line in ConfigurationFormatter.ToDisplayLines(options, access.LocalNetworks))
        {
            LogSetting(logger, line);
        }

        // Loaded first: a certificate that does not load is a configuration error, found before anything is bound.
        ServerCertificate? certificate;
        try
        {
            certificate = LoadCertificate(options, timeProvider, loggerFactory);
        }
        catch
        {
            access.Dispose();
            instruments.Dispose();
            throw;
        }

        var generation = Build(options, previous: null, instruments, timeProvider, loggerFactory, madeAhead: new PipelineParts(new Dictionary<string, object> { [PipelineTable.Access] = access }));
        DnsServer server;
        try
        {
            server = await DnsServer.StartAsync(options.Listen, generation.Pipeline, limits ?? new ListenerLimits(), timeProvider, loggerFactory, options.TlsListen, certificate).ConfigureAwait(false);
        }
        catch
        {
            await ReleaseAsync(generation, keep: null, CancellationToken.None).ConfigureAwait(false);
            certificate?.Dispose();
            instruments.Dispose();
            throw;
        }

        foreach (var part in generation.LivingParts)
        {
            part.Start();
        }

        return new PalisadeServer(server, generation, instruments, certificate, timeProvider, loggerFactory);
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

                var after = Build(effective, before, _instruments, _timeProvider, _loggerFactory);
                _server.ReplacePipeline(after.Pipeline);
                _current = after;
                foreach (var part in after.LivingParts.Where(p => !before.Parts.Holds(p)))
                {
                    part.Start();
                }

                retired = _retirements = RetireAsync(_retirements, before, after);
            }

            // A SIGHUP that changed nothing, or not a part's settings, still refreshes what refreshes (the blocklists).
            foreach (var part in _current.LivingParts.Where(before.Parts.Holds))
            {
                part.Kept();
            }

            return new ConfigurationReloadResult(changed, restartRequired) { Retired = retired };
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>Fetches every list now (conditional requests) and swaps in the new set, in the background.</summary>
    public Task RefreshBlocklistsAsync() => _current.Parts.Get<RunningBlocklists>(PipelineTable.Blocking)?.RefreshAsync() ?? Task.CompletedTask;

    /// <summary>Stops serving: no new queries, those in flight finished (bounded), everything closed.</summary>
    public async Task StopAsync()
    {
        foreach (var part in _current.LivingParts)
        {
            await part.StopAsync().ConfigureAwait(false);
        }

        await _server.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // Replaced pipelines are closed at once now, and their parts released, before what is in force.
        await _disposing.CancelAsync().ConfigureAwait(false);
        await _retirements.ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
        await ReleaseAsync(_current, keep: null, _disposing.Token).ConfigureAwait(false);
        Certificate?.Dispose();
        _instruments.Dispose();
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
    private async Task RetireAsync(Task previousRetirement, Generation before, Generation after)
    {
        await previousRetirement.ConfigureAwait(false);
        try
        {
            // No more downloads for lists no longer in force; the old set stays readable for the queries still inside.
            foreach (var part in before.LivingParts.Where(p => !after.Parts.Holds(p)))
            {
                await part.StopAsync().ConfigureAwait(false);
            }

            await before.Pipeline.RetireAsync(after.Pipeline, before.Options.UpstreamTimeout + RetireMargin, _timeProvider, _disposing.Token).ConfigureAwait(false);
            await ReleaseAsync(before, keep: after, _disposing.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogRetireFailed(_logger, exception);
        }
    }

    /// <summary>
    /// Releases the parts of <paramref name="generation"/> that <paramref name="keep"/> does not use (the upstreams once
    /// their background exchanges have ended, unless <paramref name="stopping"/> has: then at once).
    /// </summary>
    private static async Task ReleaseAsync(Generation generation, Generation? keep, CancellationToken stopping)
    {
        foreach (var part in generation.LivingParts.Where(p => keep is null || !keep.Parts.Holds(p)))
        {
            await part.ReleaseAsync(stopping).ConfigureAwait(false);
        }

    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Setting}")]
    private static partial void LogSetting(ILogger logger, string setting);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Releasing the parts of a replaced configuration failed")]
    private static partial void LogRetireFailed(ILogger logger, Exception exception);
}
