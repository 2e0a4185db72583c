using System.Net;
using Microsoft.Extensions.Logging;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Listeners;
using Palisade.Server.Transport.Tls;

namespace Palisade.Server;

/// <summary>
/// A running Palisade: the listeners on every configured address, UDP and TCP, in front of one pipeline. No static
/// state: several servers can run in one process (the tests do).
/// </summary>
public sealed partial class DnsServer : IAsyncDisposable
{
    /// <summary>How long shutdown waits for queries in flight before closing what is left.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly QueryDispatcher _dispatcher;
    /// <summary>A UDP and a TCP listener for each address, in that order.</summary>
    private readonly List<Listener> _listeners = [];
    private readonly ILogger _logger;

    private DnsServer(QueryDispatcher dispatcher, ILogger logger)
    {
        _dispatcher = dispatcher;
        _logger = logger;
    }

    /// <summary>The addresses actually bound, UDP and TCP alike (real ports when 0 was asked for).</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => [.. _listeners.OfType<UdpListener>().Select(l => l.EndPoint)];

    /// <summary>The addresses serving DNS over TLS (real ports when 0 was asked for).</summary>
    public IReadOnlyList<IPEndPoint> TlsEndPoints => [.. _listeners.OfType<TcpListener>().Where(l => l.IsTls).Select(l => l.EndPoint)];

    /// <summary>
    /// Puts <paramref name="pipeline"/> in front of every listener for the queries that arrive from now on; queries in
    /// flight finish in the pipeline they started in (a configuration reload drops none).
    /// </summary>
    public void ReplacePipeline(IQueryHandler pipeline) => _dispatcher.Pipeline = pipeline;

    /// <summary>
    /// Answers one query that came over HTTPS (the DoH endpoint lives in the executable): the same pipeline, counted in
    /// flight like any other, with the finished response given to <paramref name="send"/> (not called for a drop).
    /// </summary>
    public ValueTask AnswerHttpsQueryAsync<TState>(
        ReadOnlyMemory<byte> query,
        IPEndPoint client,
        TState state,
        Func<TState, ReadOnlyMemory<byte>, ValueTask> send,
        CancellationToken cancellation) =>
        _dispatcher.DispatchAsync(query, client, DnsTransport.Https, state, send, cancellation);

    /// <summary>
    /// Binds every address in <paramref name="listen"/> for UDP and TCP and starts serving <paramref name="pipeline"/>.
    /// Throws <see cref="ListenerBindException"/> (one line: which address, why, what to do) when one cannot be bound;
    /// nothing is left bound then.
    /// </summary>
    public static async Task<DnsServer> StartAsync(
        IReadOnlyList<IPEndPoint> listen,
        IQueryHandler pipeline,
        ListenerLimits limits,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IReadOnlyList<IPEndPoint>? tlsListen = null,
        ServerCertificate? certificate = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger<DnsServer>();
        var dispatcher = new QueryDispatcher(pipeline, loggerFactory.CreateLogger("Palisade.Queries"), timeProvider);
        var server = new DnsServer(dispatcher, logger);
        try
        {
            foreach (var endPoint in listen)
            {
                var udp = new UdpListener(endPoint, dispatcher, limits);
                server._listeners.Add(udp);

                // TCP on the same port as UDP, also when port 0 let the system choose it for UDP.
                server._listeners.Add(new TcpListener(udp.EndPoint, dispatcher, limits));
            }

            foreach (var endPoint in tlsListen ?? [])
            {
                server._listeners.Add(new TcpListener(endPoint, dispatcher, limits, certificate ?? throw new ArgumentNullException(nameof(certificate))));
            }
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        foreach (var listener in server._listeners)
        {
            listener.Start();
            if (listener is TcpListener { IsTls: true })
            {
                LogListeningTls(logger, listener.EndPoint);
            }
            else if (listener is TcpListener)
            {
                LogListening(logger, listener.EndPoint);
            }
        }

        return server;
    }

    /// <summary>
    /// Stops taking queries, waits (at most <see cref="DrainTimeout"/>) for those in flight to be answered, then ends
    /// what is left and closes everything.
    /// </summary>
    public async Task StopAsync()
    {
        foreach (var listener in _listeners)
        {
            await listener.StopAsync().ConfigureAwait(false);
        }

        using var drain = new CancellationTokenSource(DrainTimeout);
        await _dispatcher.WaitForDrainAsync(drain.Token).ConfigureAwait(false);
        int abandoned = _dispatcher.InFlight;
        await DisposeAsync().ConfigureAwait(false);
        LogStopped(_logger, abandoned);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Listening on {EndPoint} (UDP and TCP)")]
    private static partial void LogListening(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Listening on {EndPoint} (DNS over TLS)")]
    private static partial void LogListeningTls(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Stopped ({Abandoned} queries were still unanswered)")]
    private static partial void LogStopped(ILogger logger, int abandoned);
}
