using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Palisade.Tests.Interop;

/// <summary>What a <see cref="UdpFlood"/> run sent and got back.</summary>
/// <param name="Sent">Queries sent.</param>
/// <param name="Answered">Responses received for queries still outstanding.</param>
/// <param name="Lost">Queries given up on after <see cref="UdpFlood.LossTimeout"/>.</param>
/// <param name="ResponseCodes">Responses by RCODE.</param>
/// <param name="Elapsed">From the first send to the last response or loss.</param>
public sealed record UdpFloodResult(int Sent, int Answered, int Lost, IReadOnlyDictionary<int, int> ResponseCodes, TimeSpan Elapsed)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"sent {Sent}, answered {Answered}, lost {Lost} in {Elapsed.TotalSeconds:F1} s; rcodes {string.Join(", ", ResponseCodes.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"))}";
}

/// <summary>
/// A fast DNS client over one UDP socket on loopback: sends a query per name with at most <c>window</c> outstanding at
/// once (as dnsperf's -q does), matching responses by ID, and counts a query lost when no response came within
/// <see cref="LossTimeout"/>. Bounded in count by the names given and in time by the loss timeout.
/// </summary>
public static class UdpFlood
{
    /// <summary>How long an unanswered query keeps its place in the window.</summary>
    public static readonly TimeSpan LossTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Sends queries of <paramref name="type"/> (with EDNS, 1232 octets) for <paramref name="count"/> names from
    /// <paramref name="name"/> to <paramref name="server"/>.
    /// </summary>
    public static async Task<UdpFloodResult> RunAsync(IPEndPoint server, int count, Func<int, string> name, ushort type, int window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(name);
        if (!IPAddress.IsLoopback(server.Address))
        {
            throw new ArgumentException($"floods go to loopback only, not {server}", nameof(server));
        }

        // IDs identify the outstanding queries, so the window must stay well below 65,536.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(window, 16_384);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 4 * 1024 * 1024;
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Connect(server);

        var outstanding = new ConcurrentDictionary<ushort, long>();
        var slots = new SemaphoreSlim(window, window);
        var codes = new ConcurrentDictionary<int, int>();
        int answered = 0;
        int lost = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var receiver = Task.Run(async () =>
        {
            byte[] buffer = new byte[65535];
            while (!stop.IsCancellationRequested)
            {
                int received;
                try
                {
                    received = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue;
                }

                if (received < 12 || !outstanding.TryRemove(BinaryPrimitives.ReadUInt16BigEndian(buffer), out _))
                {
                    continue;
                }

                Interlocked.Increment(ref answered);
                codes.AddOrUpdate(buffer[3] & 0x0F, 1, (_, n) => n + 1);
                slots.Release();
            }
        }, CancellationToken.None);

        byte[] query = new byte[512];
        for (int i = 0; i < count; i++)
        {
            while (!await slots.WaitAsync(TimeSpan.FromMilliseconds(100), cancellationToken))
            {
                lost += GiveUpOnOld(outstanding, slots);
            }

            ushort id = (ushort)i;
            outstanding[id] = Stopwatch.GetTimestamp();
            int length = Write(query, id, name(i), type, edns: true);
            await socket.SendAsync(query.AsMemory(0, length), SocketFlags.None, cancellationToken);
        }

        while (!outstanding.IsEmpty)
        {
            await Task.Delay(20, cancellationToken);
            lost += GiveUpOnOld(outstanding, slots);
        }

        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await receiver;
        return new UdpFloodResult(count, answered, lost, new Dictionary<int, int>(codes), elapsed);
    }

    /// <summary>A query for <paramref name="name"/> (ASCII, dotted) of <paramref name="type"/>, class IN, RD set, with EDNS (payload 1232) or none.</summary>
    public static int Write(Span<byte> destination, ushort id, string name, ushort type = 1, bool edns = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        BinaryPrimitives.WriteUInt16BigEndian(destination, id);
        destination[2] = 0x01;
        destination[3] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], 1);
        destination[6..12].Clear();
        destination[11] = (byte)(edns ? 1 : 0);
        int at = 12;
        foreach (string label in name.TrimEnd('.').Split('.'))
        {
            destination[at++] = (byte)label.Length;
            at += Encoding.ASCII.GetBytes(label, destination[at..]);
        }

        destination[at++] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[at..], type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(at + 2)..], 1);
        at += 4;
        if (edns)
        {
            // OPT: root owner, type 41, class = payload size, TTL 0 (no flags), no options (RFC 6891 s6.1.2).
            destination[at++] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(destination[at..], 41);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(at + 2)..], 1232);
            destination[(at + 4)..(at + 10)].Clear();
            at += 10;
        }

        return at;
    }

    private static int GiveUpOnOld(ConcurrentDictionary<ushort, long> outstanding, SemaphoreSlim slots)
    {
        int given = 0;
        foreach (var (id, sentAt) in outstanding)
        {
            if (Stopwatch.GetElapsedTime(sentAt) >= LossTimeout && outstanding.TryRemove(id, out _))
            {
                given++;
                slots.Release();
            }
        }

        return given;
    }
}
