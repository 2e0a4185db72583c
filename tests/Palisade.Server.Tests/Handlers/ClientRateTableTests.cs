using System.Net;
using Microsoft.Extensions.Time.Testing;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.RateLimit;

namespace Palisade.Server.Tests.Handlers;

public sealed class ClientRateTableTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.1");

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Take_FreshClient_BurstAllowedThenLimited()
    {
        var table = Table(queriesPerSecond: 10, burst: 5);

        Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal(RateDecision.Allow, table.Take(Client)));
        Assert.NotEqual(RateDecision.Allow, table.Take(Client));
    }

    [Fact]
    public void Take_OneIntervalLater_ExactlyOneMoreAllowed()
    {
        var table = Table(queriesPerSecond: 10, burst: 5);
        Exhaust(table, Client, 5);

        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.NotEqual(RateDecision.Allow, table.Take(Client));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(RateDecision.Allow, table.Take(Client));
        Assert.NotEqual(RateDecision.Allow, table.Take(Client));
    }

    [Fact]
    public void Take_LongIdle_RefillsOnlyUpToBurst()
    {
        var table = Table(queriesPerSecond: 10, burst: 5);
        Exhaust(table, Client, 5);

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(5, AllowedOf(table, Client, 100));
    }

    [Fact]
    public void Take_SteadyAtTheRate_NeverLimited()
    {
        var table = Table(queriesPerSecond: 10, burst: 1);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(RateDecision.Allow, table.Take(Client));
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }
    }

    [Fact]
    public void Take_OverTenSeconds_AllowsBurstPlusRateTimesTime()
    {
        var table = Table(queriesPerSecond: 50, burst: 20);
        int allowed = 0;
        for (int step = 0; step < 1000; step++)
        {
            // Five queries every 10 ms (500 a second, ten times the rate) for 10 s.
            allowed += AllowedOf(table, Client, 5);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.InRange(allowed, 20 + (50 * 10) - 1, 20 + (50 * 10));
    }

    [Fact]
    public void Take_OverLimit_EverySecondQuerySlips()
    {
        var table = Table(queriesPerSecond: 1, burst: 3);
        Exhaust(table, Client, 3);

        var decisions = Enumerable.Range(0, 10).Select(_ => table.Take(Client)).ToArray();

        Assert.Equal(
            [RateDecision.Drop, RateDecision.Slip, RateDecision.Drop, RateDecision.Slip, RateDecision.Drop,
             RateDecision.Slip, RateDecision.Drop, RateDecision.Slip, RateDecision.Drop, RateDecision.Slip],
            decisions);
    }

    [Fact]
    public void Take_AtTwiceTheRate_StillSlipsEverySecondLimitedQuery()
    {
        // Allowed and limited in turn: the count of limited queries runs on, so every second of them still slips.
        var table = Table(queriesPerSecond: 10, burst: 1);
        var limited = new List<RateDecision>();
        for (int i = 0; i < 20; i++)
        {
            var decision = table.Take(Client);
            if (decision != RateDecision.Allow)
            {
                limited.Add(decision);
            }

            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(10, limited.Count);
        Assert.Equal(5, limited.Count(d => d == RateDecision.Slip));
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1", 32, 64, true)]
    [InlineData("192.0.2.1", "192.0.2.2", 32, 64, false)]
    [InlineData("192.0.2.1", "192.0.2.200", 24, 64, true)]
    [InlineData("192.0.2.1", "192.0.3.1", 24, 64, false)]
    [InlineData("192.0.2.1", "::ffff:192.0.2.1", 32, 64, true)]
    [InlineData("2001:db8::1", "2001:db8::ffff:1234", 32, 64, true)]
    [InlineData("2001:db8::1", "2001:db8:0:1::1", 32, 64, false)]
    [InlineData("2001:db8::1", "2001:db8::2", 32, 128, false)]
    [InlineData("2001:db8::1", "2001:db8:0:ff::1", 32, 56, true)]
    [InlineData("10.0.0.1", "203.0.113.9", 0, 64, true)]
    [InlineData("::", "0.0.0.0", 32, 0, false)]
    public void Take_ClientsCountedByPrefix(string first, string second, int ipv4Prefix, int ipv6Prefix, bool shared)
    {
        var table = new ClientRateTable(
            new RateLimitOptions { QueriesPerSecond = 1, Burst = 4, IPv4Prefix = ipv4Prefix, IPv6Prefix = ipv6Prefix },
            _time);
        Exhaust(table, IPAddress.Parse(first), 4);

        Assert.Equal(shared ? RateDecision.Drop : RateDecision.Allow, table.Take(IPAddress.Parse(second)));
    }

    [Fact]
    public void Take_FloodFromAMillionAddresses_TableStaysAtItsCapAndKeepsTheHeavySender()
    {
        var table = new ClientRateTable(new RateLimitOptions(), _time);
        var heavy = IPAddress.Parse("198.51.100.7");
        Exhaust(table, heavy, new RateLimitOptions().Burst);
        int allowed = 0;

        for (int i = 0; i < 1_000_000; i++)
        {
            // 10.0.0.0 onwards, and as many distinct IPv6 /64s.
            var address = (i & 1) == 0
                ? new IPAddress((uint)IPAddress.HostToNetworkOrder(0x0A00_0000 + i))
                : new IPAddress([0x20, 0x01, 0x0d, 0xb8, (byte)(i >> 24), (byte)(i >> 16), (byte)(i >> 8), (byte)i, 0, 0, 0, 0, 0, 0, 0, 1]);
            allowed += table.Take(address) == RateDecision.Allow ? 1 : 0;
        }

        Assert.Equal(ClientRateTable.DefaultCapacity, table.Capacity);
        Assert.Equal(table.Capacity, table.Count);
        Assert.Equal(1_000_000, allowed);

        // One-off senders evict each other, never the entry of a client that is really over its limit.
        Assert.NotEqual(RateDecision.Allow, table.Take(heavy));
    }

    [Fact]
    public void Take_SmallTable_NeverHoldsMoreThanItsCapacity()
    {
        var table = new ClientRateTable(new RateLimitOptions { QueriesPerSecond = 1, Burst = 1 }, _time, capacity: 64);
        for (int i = 0; i < 10_000; i++)
        {
            table.Take(new IPAddress((uint)IPAddress.HostToNetworkOrder(0x0A00_0000 + i)));
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(64, table.Capacity);
        Assert.Equal(64, table.Count);
    }

    [Fact]
    public void Take_AllocatesNothing()
    {
        var table = Table(queriesPerSecond: 100, burst: 10);
        IPAddress[] clients =
        [
            IPAddress.Parse("192.0.2.1"),
            IPAddress.Parse("::ffff:192.0.2.9"),
            IPAddress.Parse("2001:db8::1"),
            IPAddress.Parse("2001:db8:1::1"),
        ];
        // The first round warms up (the JIT's tiering allocates); the second is measured.
        int allowed = Round(table, clients);
        long before = GC.GetAllocatedBytesForCurrentThread();
        allowed += Round(table, clients);

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(4 * 10, allowed);

        static int Round(ClientRateTable table, IPAddress[] clients)
        {
            int allowed = 0;
            for (int i = 0; i < 100_000; i++)
            {
                allowed += table.Take(clients[i & 3]) == RateDecision.Allow ? 1 : 0;
            }

            return allowed;
        }
    }

    [Fact]
    public void Take_ManyThreadsOneClient_ExactlyTheBurstAllowed()
    {
        var table = Table(queriesPerSecond: 1, burst: 1000);
        int allowed = 0;
        var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            int mine = 0;
            for (int i = 0; i < 10_000; i++)
            {
                mine += table.Take(Client) == RateDecision.Allow ? 1 : 0;
            }

            Interlocked.Add(ref allowed, mine);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(1000, allowed);
    }

    private ClientRateTable Table(int queriesPerSecond, int burst) =>
        new(new RateLimitOptions { QueriesPerSecond = queriesPerSecond, Burst = burst }, _time);

    /// <summary>Spends the whole burst of <paramref name="client"/>, and no more: its next query is its first over the limit.</summary>
    private static void Exhaust(ClientRateTable table, IPAddress client, int burst) =>
        Assert.Equal(burst, AllowedOf(table, client, burst));

    private static int AllowedOf(ClientRateTable table, IPAddress client, int queries) =>
        Enumerable.Range(0, queries).Count(_ => table.Take(client) == RateDecision.Allow);
}
