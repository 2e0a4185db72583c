using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Server.Tests.Reload;

/// <summary>
/// A plain DNS upstream on 127.0.0.1 (UDP, ephemeral port) that answers every A query with one address, echoing the
/// question as sent (DNS 0x20 case included). While <see cref="Hold"/> is set, replies wait for it to be released.
/// </summary>
internal sealed class LoopbackUpstream : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _queries;

    public LoopbackUpstream(string address)
    {
        Address = IPAddress.Parse(address);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = Task.Run(ReceiveAsync);
    }

    public IPAddress Address { get; }

    /// <summary>The <c>upstreams</c> entry that points here.</summary>
    public string Url => $"udp://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}";

    public int QueryCount => Volatile.Read(ref _queries);

    /// <summary>When set, replies are sent only once it completes.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>Completes when the next query arrives.</summary>
    public TaskCompletionSource QueryArrived { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            byte[] query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            Interlocked.Increment(ref _queries);
            var arrived = QueryArrived;
            QueryArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
            arrived.TrySetResult();
            _ = ReplyAsync(query, received.RemoteEndPoint, Hold);
        }
    }

    private async Task ReplyAsync(byte[] query, EndPoint client, TaskCompletionSource? hold)
    {
        try
        {
            if (hold is not null)
            {
                await hold.Task.WaitAsync(_stop.Token);
            }

            if (Answer(query) is { } reply)
            {
                await _socket.SendToAsync(reply, SocketFlags.None, client, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    /// <summary>The query's header and question (as sent), QR and RA set, and for type A one record with <see cref="Address"/>.</summary>
    private byte[]? Answer(byte[] query)
    {
        int at = 12;
        while (at < query.Length && query[at] is > 0 and <= 63)
        {
            at += 1 + query[at];
        }

        int questionEnd = at + 5;
        if (query.Length < 12 || questionEnd > query.Length)
        {
            return null;
        }

        bool isA = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(questionEnd - 4)) == 1;
        var reply = new byte[questionEnd + (isA ? 16 : 0)];
        query.AsSpan(0, questionEnd).CopyTo(reply);
        reply[2] = (byte)(0x80 | (query[2] & 0x79));
        reply[3] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)(isA ? 1 : 0));
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(8), 0);
        if (isA)
        {
            var record = reply.AsSpan(questionEnd);
            record[0] = 0xC0;
            record[1] = 12;
            BinaryPrimitives.WriteUInt16BigEndian(record[2..], 1);
            BinaryPrimitives.WriteUInt16BigEndian(record[4..], 1);
            BinaryPrimitives.WriteUInt32BigEndian(record[6..], 300);
            BinaryPrimitives.WriteUInt16BigEndian(record[10..], 4);
            Address.TryWriteBytes(record[12..], out _);
        }

        return reply;
    }
}
