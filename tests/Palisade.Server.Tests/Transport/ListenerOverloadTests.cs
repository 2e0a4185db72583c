using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Protocol;
using Palisade.Server.Blocklists;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.Blocking;
using Palisade.Server.Handlers.Forwarding;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Listeners;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Server.Tests.Transport;

/// <summary>
/// A UDP listener at its limit of queries in flight (all waiting on a silent upstream): queries that would go upstream
/// are dropped, but what the pipeline answers itself (here a blocked name) still is, over both receive paths.
/// </summary>
public sealed class ListenerOverloadTests
{
    private const int Limit = 3;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AtTheLimit_BlockedNamesStillAnswered_NothingMoreAskedUpstream(bool batchUdp)
    {
        var upstream = new FakeTransport(FakeTransport.Behaviour.Silent);
        var resolver = new UpstreamResolver(
            [new Upstream(new UpstreamOptions(UpstreamProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 53)), upstream, null, TimeProvider.System)],
            UpstreamStrategy.Fastest,
            TimeSpan.FromSeconds(30),
            TimeProvider.System,
            NullLogger.Instance);
        var blocklist = BlocklistSetBuilder.Build([new BlocklistInput("deny", "inline", null, ["blocked.example"], Subdomains: false, IsAllowList: false)]);
        var pipeline = PipelineBuilder.Build(new ForwardingHandler(resolver), next => new BlockingHandler(() => blocklist, BlockedResponse.NullIp, cnameInspection: false, next));
        var limits = new ListenerLimits { MaxConcurrentQueries = Limit, BatchUdp = batchUdp };
        var server = await DnsServer.StartAsync([new IPEndPoint(IPAddress.Loopback, 0)], pipeline, limits, TimeProvider.System, NullLoggerFactory.Instance);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            await client.ConnectAsync(server.EndPoints[0]);
            for (int i = 0; i < Limit; i++)
            {
                await client.SendAsync(Query($"waiting-{i}.example", (ushort)i), SocketFlags.None);
            }

            for (int i = 0; i < 200 && upstream.Calls < Limit; i++)
            {
                await Task.Delay(10);
            }

            Assert.Equal(Limit, upstream.Calls);

            // Over the limit: a name for upstream is dropped, a blocked one answered.
            await client.SendAsync(Query("one-too-many.example", 100), SocketFlags.None);
            await client.SendAsync(Query("blocked.example", 101), SocketFlags.None);
            var answer = await ReceiveAsync(client);
            Assert.Equal(101, answer.Id);
            Assert.Equal("0.0.0.0", answer.Answers.Single().Data.ToString());
            Assert.Equal(Limit, upstream.Calls);

            // Once the upstream answers, the waiting queries are answered and new ones go upstream again.
            upstream.Release.SetResult();
            var ids = new HashSet<int>();
            for (int i = 0; i < Limit; i++)
            {
                ids.Add((await ReceiveAsync(client)).Id);
            }

            Assert.Equal([0, 1, 2], ids.Order());
            await client.SendAsync(Query("after.example", 200), SocketFlags.None);
            Assert.Equal(200, (await ReceiveAsync(client)).Id);
            Assert.Equal(Limit + 1, upstream.Calls);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    private static byte[] Query(string name, ushort id) => new DnsMessage
    {
        Header = new DnsHeader { Id = id, RecursionDesired = true },
        Questions = { new DnsQuestion(DnsName.Parse(name), DnsRecordType.A) },
    }.ToArray();

    private static async Task<DnsMessage> ReceiveAsync(Socket client)
    {
        byte[] buffer = new byte[4096];
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        int received = await client.ReceiveAsync(buffer, SocketFlags.None, guard.Token);
        return DnsMessage.Parse(buffer.AsSpan(0, received));
    }
}
