using System.Buffers;
using System.Buffers.Binary;
using System.Net.Security;
using System.Security.Cryptography;
using Palisade.Protocol;

namespace Palisade.Server.Transport.Upstreams.Encrypted;

/// <summary>
/// One open DNS-over-TLS connection (RFC 7858) carrying many queries at once: each is written with its own ID as soon as
/// it comes, and answers, which may come in any order (RFC 7766 s6.2.1.1), are matched back by ID. When the connection
/// ends, every query still waiting fails with <see cref="ConnectionLostException"/>.
/// </summary>
internal sealed class TlsUpstreamConnection : IAsyncDisposable
{
    /// <summary>Queries on encrypted transports are padded to a multiple of this (RFC 8467 s4.1).</summary>
    public const int QueryPaddingBlock = 128;

    /// <summary>Queries waiting on one connection at most; more fail at once rather than pile up.</summary>
    private const int MaxPending = 4096;

    private readonly SslStream _stream;
    private readonly Dictionary<ushort, Pending> _pending = [];
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly string _upstream;
    private readonly Task _reading;
    private int _answered;

    public TlsUpstreamConnection(SslStream stream, string upstream)
    {
        _stream = stream;
        _upstream = upstream;
        _reading = Task.Run(ReadLoopAsync);
    }

    /// <summary>Whether the connection has ended (the server closed it, or it failed).</summary>
    public bool IsClosed => _closed.IsCancellationRequested;

    /// <summary>Whether an answer has come on this connection already: a query lost on it may well be asked again.</summary>
    public bool HasAnswered => Volatile.Read(ref _answered) > 0;

    public async ValueTask<UpstreamResponse> ExchangeAsync(ReadOnlyMemory<byte> query, CancellationToken cancellation)
    {
        if (query.Length < DnsConstants.HeaderSize)
        {
            throw new ArgumentException("A query has at least a header.", nameof(query));
        }

        var pending = new Pending(query);
        ushort id = Register(pending);
        int capacity = 2 + query.Length + QueryPaddingBlock + 4;
        byte[] framed = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            var message = framed.AsSpan(2, capacity - 2);
            query.Span.CopyTo(message);
            BinaryPrimitives.WriteUInt16BigEndian(message, id);
            int length = query.Length;

            // A query without OPT at its end goes unpadded; Palisade's own queries always have one.
            DnsOptEditor.TryPad(message, ref length, QueryPaddingBlock);
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)length);
            await WriteAsync(framed.AsMemory(0, length + 2), cancellation).ConfigureAwait(false);
        }
        catch
        {
            Unregister(id, pending);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(framed);
        }

        try
        {
            return await pending.Answer.Task.WaitAsync(cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Unregister(id, pending);
            if (pending.Answer.Task.IsCompletedSuccessfully)
            {
                pending.Answer.Task.Result.Release();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close(new ConnectionLostException($"the connection to {_upstream} was closed"));
        await _reading.ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
        _closed.Dispose();
    }

    private ushort Register(Pending pending)
    {
        lock (_lock)
        {
            if (IsClosed)
            {
                throw new ConnectionLostException($"the connection to {_upstream} has ended");
            }

            if (_pending.Count >= MaxPending)
            {
                throw new UpstreamException($"{_upstream} has {MaxPending} queries waiting on one connection already");
            }

            // A fresh random ID for each query (RFC 5452 s9.2), unique among those waiting on this connection.
            Span<byte> random = stackalloc byte[2];
            ushort id;
            do
            {
                RandomNumberGenerator.Fill(random);
                id = BinaryPrimitives.ReadUInt16BigEndian(random);
            }
            while (_pending.ContainsKey(id));

            _pending.Add(id, pending);
            return id;
        }
    }

    private void Unregister(ushort id, Pending pending)
    {
        lock (_lock)
        {
            if (_pending.TryGetValue(id, out var current) && current == pending)
            {
                _pending.Remove(id);
            }
        }
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> framed, CancellationToken cancellation)
    {
        await _writeLock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            // Once a write has begun it is not cancelled: half a message would break the stream for every query on it.
            await _stream.WriteAsync(framed, _closed.Token).ConfigureAwait(false);
            await _stream.FlushAsync(_closed.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException)
        {
            var lost = new ConnectionLostException($"the connection to {_upstream} failed while sending: {exception.Message}", exception);
            Close(lost);
            throw lost;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var prefix = new byte[2];
        Exception? failure = null;
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                await _stream.ReadExactlyAsync(prefix, _closed.Token).ConfigureAwait(false);
                int length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
                byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                try
                {
                    await _stream.ReadExactlyAsync(buffer.AsMemory(0, length), _closed.Token).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                Deliver(buffer, length);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException or EndOfStreamException)
        {
            failure = exception;
        }

        Close(new ConnectionLostException(
            failure is EndOfStreamException ? $"{_upstream} closed the connection" : $"the connection to {_upstream} ended: {failure?.Message}",
            failure!));
    }

    /// <summary>Hands an answer to the query waiting for its ID, with the caller's own ID put back.</summary>
    private void Deliver(byte[] buffer, int length)
    {
        Pending? pending = null;
        if (length >= DnsConstants.HeaderSize)
        {
            ushort id = BinaryPrimitives.ReadUInt16BigEndian(buffer);
            lock (_lock)
            {
                if (_pending.Remove(id, out pending))
                {
                    Interlocked.Increment(ref _answered);
                }
            }
        }

        if (pending is null)
        {
            // An answer to nothing we are waiting for (a query given up on): dropped.
            ArrayPool<byte>.Shared.Return(buffer);
            return;
        }

        pending.Query.Span[..2].CopyTo(buffer);
        if (!UpstreamQuery.Matches(pending.Query.Span, buffer.AsSpan(0, length)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            pending.Answer.TrySetException(new UpstreamException($"{_upstream} answered a different question"));
            return;
        }

        if (!pending.Answer.TrySetResult(new UpstreamResponse(buffer, length)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Close(ConnectionLostException reason)
    {
        List<Pending> orphans;
        lock (_lock)
        {
            if (_closed.IsCancellationRequested)
            {
                return;
            }

            _closed.Cancel();
            orphans = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var orphan in orphans)
        {
            orphan.Answer.TrySetException(reason);
        }
    }

    private sealed class Pending(ReadOnlyMemory<byte> query)
    {
        public ReadOnlyMemory<byte> Query { get; } = query;

        public TaskCompletionSource<UpstreamResponse> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
