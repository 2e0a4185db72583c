using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Palisade.Server.Configuration;

namespace Palisade.Server.Transport.Upstreams.Encrypted;

/// <summary>
/// DNS over TLS to one upstream (RFC 7858): one connection kept open and shared by every query (pipelined, answers
/// matched by ID), opened again when the server closes it. A query lost because the server closed a connection that had
/// been working (an idle timeout, say) is asked once more on a new one.
/// </summary>
internal sealed class TlsUpstreamTransport : IUpstreamTransport, IAsyncDisposable
{
    private readonly UpstreamOptions _upstream;
    private readonly UpstreamConnector _connector;
    private readonly UpstreamTls _tls;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private TlsUpstreamConnection? _connection;
    private bool _disposed;

    /// <summary>A transport to <paramref name="upstream"/>; <paramref name="tls"/> replaces the certificate checks (tests).</summary>
    public TlsUpstreamTransport(UpstreamOptions upstream, BootstrapResolver? bootstrap, UpstreamTls? tls = null)
    {
        _upstream = upstream;
        _connector = new UpstreamConnector(upstream, bootstrap);
        _tls = tls ?? new UpstreamTls(upstream);
    }

    public async ValueTask<UpstreamResponse> ExchangeAsync(ReadOnlyMemory<byte> query, CancellationToken cancellation)
    {
        for (int attempt = 0; ; attempt++)
        {
            var connection = await GetConnectionAsync(cancellation).ConfigureAwait(false);
            bool reused = connection.HasAnswered;
            try
            {
                return await connection.ExchangeAsync(query, cancellation).ConfigureAwait(false);
            }
            catch (ConnectionLostException) when (attempt == 0 && reused && !cancellation.IsCancellationRequested)
            {
                // The server closed a connection that had served us (RFC 7766 s6.2.3 lets it): ask on a new one.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
                _connection = null;
            }
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async ValueTask<TlsUpstreamConnection> GetConnectionAsync(CancellationToken cancellation)
    {
        var current = Volatile.Read(ref _connection);
        if (current is { IsClosed: false })
        {
            return current;
        }

        await _connecting.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is { IsClosed: false } open)
            {
                return open;
            }

            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
                _connection = null;
            }

            var stream = await OpenAsync(cancellation).ConfigureAwait(false);
            var connection = new TlsUpstreamConnection(stream, _upstream.ToString());
            Volatile.Write(ref _connection, connection);
            return connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async ValueTask<SslStream> OpenAsync(CancellationToken cancellation)
    {
        var socket = await _connector.ConnectAsync(cancellation).ConfigureAwait(false);
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            await stream.AuthenticateAsClientAsync(_tls.CreateOptions(), cancellation).ConfigureAwait(false);
            return stream;
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw _tls.HandshakeFailed(exception);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
