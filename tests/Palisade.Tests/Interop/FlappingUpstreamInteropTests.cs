using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace Palisade.Tests.Interop;

/// <summary>
/// <c>palisade serve</c> while an upstream goes silent and comes back, over and over, and a client asks steadily: every
/// query is answered, by whichever upstream is up or from the cache's stale entries, and the log says a line or two per
/// flap, not one per query.
/// </summary>
/// <remarks>
/// The flapping upstream stops answering rather than closing its port: silence costs a timeout, which is the harder
/// case (a closed port is refused at once by ICMP). It flips every <see cref="FlapPeriod"/> for <see cref="FlapFor"/>.
/// </remarks>
[Trait("Category", "Interop")]
public sealed class FlappingUpstreamInteropTests(ITestOutputHelper output)
{
    private static readonly TimeSpan FlapFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FlapPeriod = TimeSpan.FromSeconds(1);
    private static readonly IPAddress Steady = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Flapping = IPAddress.Parse("192.0.2.20");

    /// <summary>Longer than <c>upstreamTimeout</c> in every test, so a query that gets SERVFAIL or a stale answer is seen as such.</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(4);

    [Theory]
    [InlineData("fastest")]
    [InlineData("roundRobin")]
    [InlineData("parallel")]
    public async Task Serve_OneOfTwoUpstreamsFlapping_EveryQueryAnsweredAndLogLinesBoundedPerFlap(string strategy)
    {
        await using var flapping = new FakeUpstream(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions { Address = Flapping });
        await using var steady = new FakeUpstream(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions { Address = Steady });
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            // The flapping one first, so that it is the one tried first (fastest, round robin) from the start.
            Upstreams = [flapping.UdpUpstream, steady.UdpUpstream],

            // No cache: every query is a unique name anyway, and must reach the upstreams.
            ConfigText = $"upstreamStrategy: {strategy}\nupstreamTimeout: 2s\ncache:\n  maxSize: 0\n",
            Readiness = PalisadeReadiness.ListeningLine,
        });

        var (flaps, replies) = await FlapWhileAskingAsync(server, flapping, i => $"q{i}.flap.test.");

        string figures = Describe(server, flaps, replies);
        output.WriteLine(figures[..figures.IndexOf("\npalisade serve", StringComparison.Ordinal)]);
        Assert.True(replies.Count >= 20, figures);
        Assert.All(replies, r => Assert.True(r is { ResponseCode: 0 } && (r.Address.Equals(Steady) || r.Address.Equals(Flapping)), figures));
        Assert.Contains(replies, r => r!.Address.Equals(Steady));
        AssertLogBounded(server, flaps, figures);
    }

    [Fact]
    public async Task Serve_OnlyUpstreamFlappingFast_StaleAnswersWhileItIsDownAndTheLogIsRateLimited()
    {
        // Down here means REFUSED: a failure at once (not after a timeout), so the upstream goes down and comes back on
        // every flap, the fastest flapping there is. TTL 1: entries expire between flaps, so while it refuses only
        // serve-stale can answer.
        var refusing = new StrongBox<bool>();
        await using var flapping = new FakeUpstream(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions
        {
            Reply = query => refusing.Value ? Refused(query) : FakeUpstream.BuildAnswer(query, Flapping, 1),
        });
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [flapping.UdpUpstream],
            ConfigText = "upstreamTimeout: 1s\ncache:\n  serveStale: true\n  prefetch: false\n",
            Readiness = PalisadeReadiness.ListeningLine,
        });
        string[] names = [.. Enumerable.Range(0, 5).Select(i => $"n{i}.stale.test.")];
        using (var warm = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            foreach (string name in names)
            {
                Assert.NotNull(await AskAsync(warm, server.Listeners[0], name, 1));
            }
        }

        var (flaps, replies) = await FlapWhileAskingAsync(server, () => refusing.Value = !refusing.Value, i => names[i % names.Length]);
        refusing.Value = false;

        string figures = Describe(server, flaps, replies);
        output.WriteLine(figures[..figures.IndexOf("\npalisade serve", StringComparison.Ordinal)]);
        Assert.True(replies.Count >= 20, figures);
        Assert.All(replies, r => Assert.True(r is { ResponseCode: 0 } && r.Address.Equals(Flapping), figures));
        Assert.Contains(replies, r => r!.Ttl == 30);

        // It went down on every other flap, but the log says so once in the quiet period, then counts.
        var lines = UpstreamLogLines(server);
        Assert.True(lines.Count <= 3, figures);
        Assert.Contains(lines, l => l.Contains("is failing", StringComparison.Ordinal));
    }

    /// <summary>
    /// One line when an upstream goes down and one when it answers again, per flap at most; two more for the edges of the
    /// run (it may be down when the run ends, or be reported on a flap the counter missed by a hair).
    /// </summary>
    private static void AssertLogBounded(PalisadeServer server, int flaps, string figures)
    {
        int lines = UpstreamLogLines(server).Count;
        Assert.True(lines <= flaps + 2, figures);
    }

    private static List<string> UpstreamLogLines(PalisadeServer server) =>
        [.. server.Output.Split('\n').Where(l => l.Contains("Upstream udp://", StringComparison.Ordinal))];

    private static string Describe(PalisadeServer server, int flaps, IReadOnlyList<Reply?> replies)
    {
        var upstreamLines = UpstreamLogLines(server);
        return $"{flaps} flaps; {replies.Count} queries, {replies.Count(r => r is { ResponseCode: 0 })} answered NOERROR, "
            + $"{replies.Count(r => r is null)} unanswered, {replies.Count(r => r?.Ttl == 30)} stale, "
            + $"{replies.Count(r => r?.Address.Equals(Steady) == true)} from the steady upstream; "
            + $"{upstreamLines.Count} upstream log lines:\n{string.Join('\n', upstreamLines)}\n{server.Describe()}";
    }

    /// <summary>
    /// Flips <paramref name="flapping"/> between answering and silence every <see cref="FlapPeriod"/> for
    /// <see cref="FlapFor"/> while a client asks one query at a time (each waits for its reply or <see cref="ClientTimeout"/>),
    /// then brings it back. Returns the number of flips and each query's reply, null for none.
    /// </summary>
    private static Task<(int Flaps, List<Reply?> Replies)> FlapWhileAskingAsync(PalisadeServer server, FakeUpstream flapping, Func<int, string> name) =>
        FlapWhileAskingAsync(server, () => flapping.Behavior = flapping.Behavior == FakeUpstreamBehavior.Answer ? FakeUpstreamBehavior.NeverAnswer : FakeUpstreamBehavior.Answer, name);

    private static async Task<(int Flaps, List<Reply?> Replies)> FlapWhileAskingAsync(PalisadeServer server, Action flip, Func<int, string> name)
    {
        using var stop = new CancellationTokenSource();
        var replies = new List<Reply?>();
        var asking = Task.Run(async () =>
        {
            using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                replies.Add(await AskAsync(client, server.Listeners[0], name(i), (ushort)i));
                await Task.Delay(50, CancellationToken.None);
            }
        });

        int flaps = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < FlapFor)
        {
            await Task.Delay(FlapPeriod);
            flip();
            flaps++;
        }

        await stop.CancelAsync();
        await asking.WaitAsync(ClientTimeout * 2);
        return (flaps, replies);
    }

    /// <summary>The query's header and question with QR, RA and RCODE 5 (REFUSED).</summary>
    private static byte[]? Refused(byte[] query)
    {
        // An IPv6 address for an A question: no answer record, just the header and the question.
        byte[]? reply = FakeUpstream.BuildAnswer(query, IPAddress.IPv6Loopback, 1);
        if (reply is not null)
        {
            reply[3] = 0x85;
        }

        return reply;
    }

    /// <summary>Asks <paramref name="name"/> A without EDNS; null when nothing came within <see cref="ClientTimeout"/>.</summary>
    private static async Task<Reply?> AskAsync(UdpClient client, IPEndPoint server, string name, ushort id)
    {
        byte[] query = new byte[512];
        int length = UdpFlood.Write(query, id, name);
        await client.SendAsync(query.AsMemory(0, length), server);
        using var timeout = new CancellationTokenSource(ClientTimeout);
        try
        {
            while (true)
            {
                byte[] response = (await client.ReceiveAsync(timeout.Token)).Buffer;
                if (response.Length >= 12 && BinaryPrimitives.ReadUInt16BigEndian(response) == id)
                {
                    return Reply.Parse(response, length);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>A reply's RCODE, and its first answer record's TTL and address (<see cref="IPAddress.None"/> without one).</summary>
    private sealed record Reply(int ResponseCode, uint Ttl, IPAddress Address)
    {
        /// <summary>Reads a reply to a query of <paramref name="queryLength"/> octets (its question is echoed, so it ends there).</summary>
        public static Reply Parse(byte[] response, int queryLength)
        {
            int code = response[3] & 0x0F;
            if (BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(6)) == 0 || response.Length < queryLength + 16)
            {
                return new Reply(code, 0, IPAddress.None);
            }

            // The answer's owner is a 2-octet pointer to the question or the name written out; then type, class, TTL, length.
            int at = queryLength;
            at = (response[at] & 0xC0) == 0xC0 ? at + 2 : queryLength + (queryLength - 12 - 4);
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(at));
            uint ttl = BinaryPrimitives.ReadUInt32BigEndian(response.AsSpan(at + 4));
            return type == 1 ? new Reply(code, ttl, new IPAddress(response.AsSpan(at + 10, 4))) : new Reply(code, ttl, IPAddress.None);
        }
    }
}
