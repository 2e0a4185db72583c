using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Tests.Interop;

/// <summary>
/// <c>rateLimit.*</c> through the real program, with Knot DNS as the upstream: a client flooding over UDP gets its burst
/// answered, then every second query an empty answer with TC set and nothing for the rest, while TCP and other clients
/// are still answered. A raw UDP socket sends the flood, so that each answer, slip and silence is counted exactly.
/// </summary>
public sealed class RateLimitInteropTests(KnotFixture knot) : IClassFixture<KnotFixture>
{
    private const int Flood = 40;
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Serve_UdpFlood_BurstAnsweredThenEverySecondSlippedRestDropped_TcpAndOtherClientsAnswered()
    {
        await using var server = await StartAsync("rateLimit: {queriesPerSecond: 5, burst: 5}\n");

        var tally = await FloodAsync(server, IPAddress.Loopback);

        // Sending 40 queries takes milliseconds: the burst of 5 is answered, plus at most a token or two refilled meanwhile.
        Assert.InRange(tally.Answered, 5, 7);
        int over = Flood - tally.Answered;
        Assert.Equal(over / 2, tally.Slipped);
        Assert.Equal(over - (over / 2), tally.Silent);

        // The slip sends a real client to TCP, which is not limited.
        var tcp = await server.Client().QueryAsync("example.test.", "A", DnsTransport.Tcp);
        Assert.Equal("NOERROR", tcp.Status);
        Assert.Equal("192.0.2.1", Assert.Single(tcp.Answer).Data);

        // 127.0.0.2 is another client (loopback too): the first one's flood does not touch its bucket.
        var other = await AskOnceAsync(server, IPAddress.Parse("127.0.0.2"));
        Assert.Equal(Outcome.Answered, other);
    }

    [Fact]
    public async Task Serve_RateLimitOff_EveryQueryOfTheFloodAnswered()
    {
        await using var server = await StartAsync("rateLimit:\n  queriesPerSecond: 0\n");

        var tally = await FloodAsync(server, IPAddress.Loopback);

        Assert.Equal(new Tally(Flood, 0, 0), tally);
        Assert.Contains("rateLimit: off", server.Output, StringComparison.Ordinal);
    }

    private Task<PalisadeServer> StartAsync(string config) => PalisadeServer.StartAsync(new PalisadeServerOptions
    {
        Upstreams = [knot.UdpUpstream],
        ConfigText = config,

        // No probe query: it would spend a token of 127.0.0.1's bucket before the test counts.
        Readiness = PalisadeReadiness.ListeningLine,
    });

    /// <summary>Sends <see cref="Flood"/> queries at once from <paramref name="from"/>, then counts what comes back until it is quiet.</summary>
    private static async Task<Tally> FloodAsync(PalisadeServer server, IPAddress from)
    {
        using var client = new UdpClient(new IPEndPoint(from, 0));
        var outcomes = new Outcome[Flood];
        for (int i = 0; i < Flood; i++)
        {
            await client.SendAsync(Query((ushort)(0x1000 + i)), server.Listeners[0]);
        }

        while (await ReceiveAsync(client) is { } response)
        {
            int index = BinaryPrimitives.ReadUInt16BigEndian(response) - 0x1000;
            Assert.InRange(index, 0, Flood - 1);
            Assert.Equal(Outcome.Silent, outcomes[index]);
            outcomes[index] = Classify(response);
        }

        return new Tally(
            outcomes.Count(o => o == Outcome.Answered),
            outcomes.Count(o => o == Outcome.Slipped),
            outcomes.Count(o => o == Outcome.Silent));
    }

    private static async Task<Outcome> AskOnceAsync(PalisadeServer server, IPAddress from)
    {
        using var client = new UdpClient(new IPEndPoint(from, 0));
        await client.SendAsync(Query(0x7777), server.Listeners[0]);
        var response = await ReceiveAsync(client);
        Assert.NotNull(response);
        Assert.Equal(0x7777, BinaryPrimitives.ReadUInt16BigEndian(response));
        return Classify(response);
    }

    private static async Task<byte[]?> ReceiveAsync(UdpClient client)
    {
        using var quiet = new CancellationTokenSource(Quiet);
        try
        {
            return (await client.ReceiveAsync(quiet.Token)).Buffer;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>An answer (NOERROR, records, no TC) or a slip (NOERROR, TC, no records, the question echoed); anything else fails.</summary>
    private static Outcome Classify(byte[] response)
    {
        Assert.True(response.Length >= 12, "a response shorter than a header");
        bool isResponse = (response[2] & 0x80) != 0;
        bool truncated = (response[2] & 0x02) != 0;
        int rcode = response[3] & 0x0F;
        int questions = BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(4));
        int answers = BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(6));
        Assert.True(isResponse);
        Assert.Equal(0, rcode);
        Assert.Equal(1, questions);
        if (truncated)
        {
            Assert.Equal(0, answers);
            Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(8)));
            Assert.Equal(Query(0).AsSpan(12).ToArray(), response.AsSpan(12).ToArray());
            return Outcome.Slipped;
        }

        Assert.Equal(1, answers);
        return Outcome.Answered;
    }

    /// <summary><c>example.test. A</c>, RD set, without EDNS, so that a slip is exactly the header and the question.</summary>
    private static byte[] Query(ushort id)
    {
        byte[] query =
        [
            0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
            7, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e',
            4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0,
            0, 1, 0, 1,
        ];
        BinaryPrimitives.WriteUInt16BigEndian(query, id);
        return query;
    }

    private enum Outcome
    {
        Silent,
        Answered,
        Slipped,
    }

    private sealed record Tally(int Answered, int Slipped, int Silent);
}
