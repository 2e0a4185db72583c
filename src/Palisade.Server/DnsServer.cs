using System.Net;
using Microsoft.Extensions.Logging;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Listeners;

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
        ILoggerFactory loggerFactory)
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
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        foreach (var listener in server._listeners)
        {
            listener.Start();
            if (listener is TcpListener)
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

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Stopped ({Abandoned} queries were still unanswered)")]
    private static partial void LogStopped(ILogger logger, int abandoned);
}
