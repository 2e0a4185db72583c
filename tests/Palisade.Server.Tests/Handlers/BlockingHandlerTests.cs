using System.Buffers;
using System.Net;
using Palisade.Protocol;
using Palisade.Server.Blocklists;
using Palisade.Server.Handlers.Blocking;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Tests.Handlers;

public sealed class BlockingHandlerTests
{
    private static readonly BlocklistSet Set = BlocklistSetBuilder.Build(
    [
        new BlocklistInput("ads", "inline", null, ["0.0.0.0 ads.example", "||tracker.example^", "*.wild.example", "||allowed.example^", "||important.example^$important", "/^ad[0-9]+\\.regex\\.example$/"], Subdomains: false, IsAllowList: false),
        new BlocklistInput("exceptions", "inline", null, ["@@||sub.tracker.example^", "@@||important.example^"], Subdomains: false, IsAllowList: false),
        new BlocklistInput("allow", "inline", null, ["allowed.example"], Subdomains: false, IsAllowList: true),
    ]);

    [Theory]
    [InlineData("ads.example", true)]
    [InlineData("www.ads.example", false)]
    [InlineData("tracker.example", true)]
    [InlineData("deep.a.tracker.example", true)]
    [InlineData("sub.tracker.example", false)]
    [InlineData("x.sub.tracker.example", false)]
    [InlineData("wild.example", true)]
    [InlineData("a.wild.example", true)]
    [InlineData("allowed.example", false)]
    [InlineData("x.allowed.example", true)]
    [InlineData("important.example", true)]
    [InlineData("ad42.regex.example", true)]
    [InlineData("adx.regex.example", false)]
    [InlineData("ADS.Example", true)]
    [InlineData("example", false)]
    public async Task Query_ListedOrNot_BlockedAsTheSemanticsSay(string name, bool blocked)
    {
        var (response, source) = await AskAsync(BlockedResponse.NullIp, name, DnsRecordType.A);
        Assert.Equal(blocked ? AnswerSource.Blocked : AnswerSource.Upstream, source);
        if (blocked)
        {
            Assert.Equal("0.0.0.0", response.Answers.Single().Data.ToString());
            Assert.Equal(10u, response.Answers[0].Ttl);
            Assert.True(response.Questions[0].Name.EqualsExact(DnsName.Parse(name)));
        }
    }

    [Theory]
    [InlineData(DnsRecordType.A, "0.0.0.0")]
    [InlineData(DnsRecordType.AAAA, "::")]
    [InlineData(DnsRecordType.MX, null)]
    public async Task NullIp_ByType(DnsRecordType type, string? address)
    {
        var (response, _) = await AskAsync(BlockedResponse.NullIp, "ads.example", type);
        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal(address, response.Answers.SingleOrDefault()?.Data.ToString());
    }

    [Fact]
    public async Task NxDomain_WithSoaForNegativeCaching()
    {
        var (response, _) = await AskAsync(BlockedResponse.NullIp with { Mode = BlockedResponseMode.NxDomain, Ttl = 60 }, "ads.example", DnsRecordType.A);
        Assert.Equal(DnsResponseCode.NameError, response.ResponseCode);
        var soa = Assert.Single(response.Authorities);
        Assert.Equal(DnsName.Parse("ads.example"), soa.Name);
        Assert.Equal(60u, soa.Ttl);
        var data = (SoaRecordData)soa.Data;
        Assert.Equal(DnsName.Parse("palisade.invalid"), data.PrimaryNameServer);
        Assert.Equal(DnsName.Parse("blocked.palisade.invalid"), data.ResponsibleMailbox);
        Assert.Equal((1u, 3600u, 600u, 86400u, 60u), (data.Serial, data.Refresh, data.Retry, data.Expire, data.Minimum));
        Assert.Empty(response.Answers);
        Assert.True(DnsMessageInspector.TryGetNegativeTtl(response.ToArray(), out uint ttl));
        Assert.Equal(60u, ttl);
    }

    [Fact]
    public async Task Refused_Mode()
    {
        var (response, _) = await AskAsync(BlockedResponse.NullIp with { Mode = BlockedResponseMode.Refused }, "ads.example", DnsRecordType.A);
        Assert.Equal(DnsResponseCode.Refused, response.ResponseCode);
    }

    [Fact]
    public async Task CustomAddresses()
    {
        var custom = new BlockedResponse(BlockedResponseMode.Address, IPAddress.Parse("192.0.2.99"), IPAddress.Parse("2001:db8::99"), 5);
        Assert.Equal("192.0.2.99", (await AskAsync(custom, "ads.example", DnsRecordType.A)).Response.Answers.Single().Data.ToString());
        Assert.Equal("2001:db8::99", (await AskAsync(custom, "ads.example", DnsRecordType.AAAA)).Response.Answers.Single().Data.ToString());
    }

    [Fact]
    public async Task CnameInspection_AllowedNameWhoseTargetIsListed_Blocked()
    {
        var (response, source) = await AskAsync(BlockedResponse.NullIp, "innocent.example", DnsRecordType.A, cnameTarget: "x.tracker.example");
        Assert.Equal(AnswerSource.Blocked, source);
        Assert.Equal("0.0.0.0", response.Answers.Single().Data.ToString());
    }

    [Fact]
    public async Task CnameInspection_Off_AnswerPassesThrough()
    {
        var (_, source) = await AskAsync(BlockedResponse.NullIp, "innocent.example", DnsRecordType.A, cnameTarget: "x.tracker.example", cnameInspection: false);
        Assert.Equal(AnswerSource.Upstream, source);
    }

    [Fact]
    public void Build_ReportsEachListsSummary()
    {
        Assert.Equal(3, Set.Lists.Count);
        Assert.Equal(5, Set.Lists[0].Summary.Rules);
        Assert.Equal(1, Set.Lists[0].Summary.RegexRules);
        Assert.True(Set.Lists[2].IsAllowList);
    }

    private static async Task<(DnsMessage Response, AnswerSource Source)> AskAsync(
        BlockedResponse blocked, string name, DnsRecordType type, string? cnameTarget = null, bool cnameInspection = true)
    {
        byte[] query = new DnsMessage { Header = new DnsHeader { Id = 5, RecursionDesired = true }, Questions = { new DnsQuestion(DnsName.Parse(name), type) } }.ToArray();
        DnsHeader.TryRead(query, out var header);
        var context = new QueryContext(query, new IPEndPoint(IPAddress.Loopback, 4000), DnsTransport.Udp, CancellationToken.None) { Header = header };
        var pipeline = PipelineBuilder.Build(new Upstream(cnameTarget), next => new BlockingHandler(() => Set, blocked, cnameInspection, next));
        var result = await pipeline.HandleAsync(context);
        try
        {
            return (DnsMessage.Parse(result.Response), result.Source);
        }
        finally
        {
            result.Release();
        }
    }

    /// <summary>Answers 192.0.2.1, through a CNAME to <c>cnameTarget</c> when one is given.</summary>
    private sealed class Upstream(string? cnameTarget) : IQueryHandler
    {
        public ValueTask<QueryResult> HandleAsync(QueryContext context)
        {
            var query = DnsMessage.Parse(context.Query.Span);
            var name = query.Questions[0].Name;
            var response = DnsResponseFactory.CreateResponse(query);
            if (cnameTarget is not null)
            {
                var target = DnsName.Parse(cnameTarget);
                response.Answers.Add(new DnsResourceRecord(name, 300, new CnameRecordData(target)));
                name = target;
            }

            response.Answers.Add(new DnsResourceRecord(name, 300, new ARecordData(IPAddress.Parse("192.0.2.1"))));
            byte[] wire = response.ToArray();
            byte[] buffer = ArrayPool<byte>.Shared.Rent(wire.Length + 32);
            wire.CopyTo(buffer, 0);
            return ValueTask.FromResult(QueryResult.FromPooled(buffer, wire.Length, AnswerSource.Upstream));
        }
    }
}
