using System.Net;
using System.Net.Sockets;

namespace Palisade.Server.Transport.Listeners;

/// <summary>
/// What UDP and TCP listeners share: a bound socket and a two-step shutdown. <see cref="StopAsync"/> ends taking
/// queries, while those in flight go on and their answers are still sent; <see cref="DisposeAsync"/>, once the server
/// has waited for them, ends whatever is left (<see cref="Aborting"/>) and closes the socket.
/// </summary>
internal abstract class Listener : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private int _disposed;

    protected Listener(Socket socket)
    {
        Socket = socket;
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public IPEndPoint EndPoint { get; }

    protected Socket Socket { get; }

    /// <summary>Ends receiving and accepting: no new queries.</summary>
    protected CancellationToken Stopping => _stopping.Token;

    /// <summary>Ends the queries still in flight: only once shutdown has waited for them.</summary>
    protected CancellationToken Aborting => _abort.Token;

    public abstract void Start();

    /// <summary>Stops taking queries; those in flight are still answered (the server waits for them).</summary>
    public async ValueTask StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await StopTakingQueriesAsync().ConfigureAwait(false);
    }

    /// <summary>Ends what is still in flight and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_stopping.IsCancellationRequested)
        {
            await StopAsync().ConfigureAwait(false);
        }

        await _abort.CancelAsync().ConfigureAwait(false);
        CloseRemaining();
        Socket.Dispose();
        _stopping.Dispose();
        _abort.Dispose();
    }

    /// <summary>Waits for the receive or accept loops to end, once <see cref="Stopping"/> is cancelled.</summary>
    protected abstract Task StopTakingQueriesAsync();

    /// <summary>Closes what the listener holds besides its socket (TCP connections).</summary>
    protected virtual void CloseRemaining()
    {
    }
}
