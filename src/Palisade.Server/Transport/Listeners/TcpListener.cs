using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Palisade.Protocol;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Tls;

namespace Palisade.Server.Transport.Listeners;

/// <summary>
/// DNS over TCP on one address (RFC 7766): two-octet length framing; several queries on one connection handled at
/// once and answered as each is ready (s6.2.1.1), at most <see cref="ListenerLimits.MaxQueriesPerConnection"/> at a
/// time; an idle timeout that also bounds how long one message may take to arrive (s6.2.3), a write timeout, and a cap
/// on connections, so that no client, however slow or greedy, holds resources for long. With a certificate it serves DNS
/// over TLS (RFC 7858) the same way, once a TLS handshake (also within the idle timeout) has opened the connection.
/// </summary>
internal sealed class TcpListener : Listener
{
    /// <summary>The largest query accepted over TCP.</summary>
    private const int MaxQueryLength = 4096;

    private readonly QueryDispatcher _dispatcher;
    private readonly ListenerLimits _limits;
    private readonly ServerCertificate? _certificate;
    private readonly DnsTransport _transport;
    private readonly HashSet<Socket> _connections = [];
    private readonly Lock _lock = new();
    private Task? _acceptLoop;

    /// <summary>A listener for DNS over TCP, or over TLS when <paramref name="certificate"/> is given.</summary>
    public TcpListener(IPEndPoint endPoint, QueryDispatcher dispatcher, ListenerLimits limits, ServerCertificate? certificate = null)
        : base(ListenerSockets.Bind(endPoint, SocketType.Stream, ProtocolType.Tcp))
    {
        _dispatcher = dispatcher;
        _limits = limits;
        _certificate = certificate;
        _transport = certificate is null ? DnsTransport.Tcp : DnsTransport.Tls;
    }

    /// <summary>Whether this listener serves DNS over TLS.</summary>
    public bool IsTls => _certificate is not null;

    public override void Start()
    {
        Socket.Listen(512);
        _acceptLoop = Task.Run(() => AcceptLoopAsync(Stopping));
    }

    /// <summary>Stops accepting and reading; queries already read are still answered.</summary>
    protected override async Task StopTakingQueriesAsync()
    {
        Socket.Close();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }
    }

    /// <summary>Closes every connection still open.</summary>
    protected override void CloseRemaining()
    {
        lock (_lock)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            _connections.Clear();
        }
    }

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await Socket.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!stopping.IsCancellationRequested)
            {
                continue;
            }
            catch (SocketException)
            {
                return;
            }

            lock (_lock)
            {
                if (_connections.Count >= _limits.MaxTcpConnections)
                {
                    connection.Dispose();
                    continue;
                }

                _connections.Add(connection);
            }

            try
            {
                connection.NoDelay = true;
            }
            catch (SocketException)
            {
                // The client went away between accept and here.
                lock (_lock)
                {
                    _connections.Remove(connection);
                }

                connection.Dispose();
                continue;
            }

            _ = ServeAsync(connection, stopping);
        }
    }

    private async Task ServeAsync(Socket connection, CancellationToken stopping)
    {
        var client = (IPEndPoint)connection.RemoteEndPoint!;

        // Gone: the connection is dead or the server is aborting; ends its queries. Reading also ends on stopping.
        using var connectionGone = CancellationTokenSource.CreateLinkedTokenSource(Aborting);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(stopping, connectionGone.Token);
        var slots = new SemaphoreSlim(_limits.MaxQueriesPerConnection);
        var writeLock = new SemaphoreSlim(1);
        Stream stream = new NetworkStream(connection, ownsSocket: false);
        var state = new ConnectionState(stream, writeLock, _limits.TcpWriteTimeout, connectionGone);
        var prefix = new byte[2];
        bool holdingSlot = false;
        try
        {
            if (_certificate is not null)
            {
                stream = await HandshakeAsync(stream, reading.Token).ConfigureAwait(false);
                state = state with { Stream = stream };
            }

            while (!reading.IsCancellationRequested)
            {
                await slots.WaitAsync(reading.Token).ConfigureAwait(false);
                holdingSlot = true;

                // Past the listener's limit, stop reading until queries in flight finish (TCP pushes back on the client).
                while (_dispatcher.InFlight >= _limits.MaxConcurrentQueries && !reading.IsCancellationRequested)
                {
                    await Task.Delay(10, reading.Token).ConfigureAwait(false);
                }

                byte[]? query = await ReadMessageAsync(stream, prefix, reading.Token).ConfigureAwait(false);
                if (query is null)
                {
                    break;
                }

                holdingSlot = false;
                _ = HandleAsync(query, client, state, slots);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException or IOException or AuthenticationException)
        {
            // The client went away, was too slow, or failed the TLS handshake (plain DNS on the TLS port, a wrong name).
        }
        finally
        {
            if (holdingSlot)
            {
                slots.Release();
            }

            // Let the queries already read finish writing (each is bounded by the upstream and write timeouts).
            var deadline = _limits.TcpWriteTimeout + TimeSpan.FromSeconds(10);
            for (int i = 0; i < _limits.MaxQueriesPerConnection; i++)
            {
                if (!await slots.WaitAsync(deadline, CancellationToken.None).ConfigureAwait(false))
                {
                    break;
                }
            }

            lock (_lock)
            {
                _connections.Remove(connection);
            }

            await stream.DisposeAsync().ConfigureAwait(false);
            connection.Dispose();
        }
    }

    /// <summary>
    /// The server side of a TLS handshake, within the idle timeout. A client that asks (by SNI) for a name the certificate
    /// is not for is refused with the <c>unrecognized_name</c> alert (<see cref="TlsAlert"/>); one that asks for no name
    /// (an IP address) gets the certificate.
    /// </summary>
    private async Task<SslStream> HandshakeAsync(Stream inner, CancellationToken cancellation)
    {
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(_limits.TcpIdleTimeout);
        try
        {
            await tls.AuthenticateAsServerAsync(SelectOptions, _certificate, timeout.Token).ConfigureAwait(false);
            return tls;
        }
        catch (UnrecognizedNameException)
        {
            // Under the TLS layer, which has stopped at the ClientHello and writes nothing more.
            await TlsAlert.SendUnrecognizedNameAsync(inner, timeout.Token).ConfigureAwait(false);
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static ValueTask<SslServerAuthenticationOptions> SelectOptions(SslStream stream, SslClientHelloInfo hello, object? state, CancellationToken cancellation)
    {
        var certificate = (ServerCertificate)state!;
        var context = certificate.ContextFor(hello.ServerName)
            ?? throw new UnrecognizedNameException($"the client asked for {hello.ServerName}, but the certificate is for {certificate.Names}");
        return ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = context,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = false,
        });
    }

    private async Task HandleAsync(byte[] query, IPEndPoint client, ConnectionState state, SemaphoreSlim slots)
    {
        try
        {
            await _dispatcher.DispatchAsync(query, client, _transport, state, WriteAsync, state.Gone.Token).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Reads one length-prefixed message, all of it within the idle timeout; null at a clean end of stream.</summary>
    private async Task<byte[]?> ReadMessageAsync(Stream connection, byte[] prefix, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(_limits.TcpIdleTimeout);
        if (!await ReadExactlyAsync(connection, prefix, timeout.Token).ConfigureAwait(false))
        {
            return null;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(prefix);

        // A query is a header, one question and an OPT record: far under 4 KB. Larger ones would let a few connections
        // hold gigabytes while their queries wait upstream, so they end the connection.
        if (length < DnsConstants.HeaderSize || length > MaxQueryLength)
        {
            // Not a DNS message: nothing sensible can follow on this stream.
            return null;
        }

        byte[] message = new byte[length];
        return await ReadExactlyAsync(connection, message, timeout.Token).ConfigureAwait(false) ? message : null;
    }

    private static async Task<bool> ReadExactlyAsync(Stream connection, Memory<byte> destination, CancellationToken cancellation)
    {
        while (!destination.IsEmpty)
        {
            int received = await connection.ReadAsync(destination, cancellation).ConfigureAwait(false);
            if (received == 0)
            {
                return false;
            }

            destination = destination[received..];
        }

        return true;
    }

    private static async ValueTask WriteAsync(ConnectionState state, ReadOnlyMemory<byte> response)
    {
        if (response.Length > ushort.MaxValue)
        {
            // Cannot be framed; a response this large is a bug upstream of here, and the client will retry.
            return;
        }

        byte[] framed = ArrayPool<byte>.Shared.Rent(response.Length + 2);
        try
        {
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)response.Length);
            response.CopyTo(framed.AsMemory(2));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(state.Gone.Token);
            timeout.CancelAfter(state.WriteTimeout);
            await state.WriteLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await state.Stream.WriteAsync(framed.AsMemory(0, response.Length + 2), timeout.Token).ConfigureAwait(false);
                await state.Stream.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                state.WriteLock.Release();
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // A client that does not read its answers loses its connection.
            try
            {
                await state.Gone.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(framed);
        }
    }

    private sealed record ConnectionState(Stream Stream, SemaphoreSlim WriteLock, TimeSpan WriteTimeout, CancellationTokenSource Gone);
}
