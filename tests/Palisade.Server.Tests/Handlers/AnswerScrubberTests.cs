using System.Buffers;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Palisade.Protocol;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.Caching;
using Palisade.Server.Handlers.Forwarding;
using Palisade.Server.Pipeline;
using Palisade.Server.Tests.Caching;

namespace Palisade.Server.Tests.Handlers;

public sealed class AnswerScrubberTests
{
    [Fact]
    public void PoisonedAnswer_KeepsOnlyTheChainAndInBailiwickData()
    {
        byte[] wire = Poisoned("a.example").ToArray();

        var result = AnswerScrubber.Scrub(wire, out byte[]? scrubbed, out int length);

        Assert.Equal(ScrubResult.Scrubbed, result);
        try
        {
            var message = DnsMessage.Parse(scrubbed.AsSpan(0, length));
            Assert.Equal(["a.example. CNAME b.example.", "b.example. A 192.0.2.1"], message.Answers.Select(Describe));
            Assert.Equal(["example. NS ns.example."], message.Authorities.Select(Describe));
            Assert.Equal(["ns.example. A 192.0.2.53"], message.Additionals.Select(Describe));
            Assert.NotNull(message.Edns);
            Assert.Equal("a.example.", message.Questions.Single().Name.ToString());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scrubbed!);
        }
    }

    [Fact]
    public void CleanAnswer_UnchangedWithoutAllocating()
    {
        var response = DnsResponseFactory.CreateResponse(CacheMessages.QueryMessage("a.example"));
        response.Answers.Add(Cname("a.example", "b.example"));
        response.Answers.Add(A("b.example", "192.0.2.1"));
        response.Authorities.Add(new DnsResourceRecord(DnsName.Parse("example"), 300, new NsRecordData(DnsName.Parse("ns.example"))));
        response.Additionals.Add(A("ns.example", "192.0.2.53"));
        byte[] wire = response.ToArray();
        AnswerScrubber.Scrub(wire, out _, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = AnswerScrubber.Scrub(wire, out byte[]? scrubbed, out int length);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ScrubResult.Unchanged, result);
        Assert.Null(scrubbed);
        Assert.Equal(wire.Length, length);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void KeptRecordsCompressedIntoDroppedOnes_StillParse()
    {
        // The dropped record comes first, so "b.example" in the CNAME's data and the A's owner point into its name.
        var response = DnsResponseFactory.CreateResponse(CacheMessages.QueryMessage("a.example"));
        response.Answers.Add(A("evil.b.example", "203.0.113.66"));
        response.Answers.Add(Cname("a.example", "b.example"));
        response.Answers.Add(A("b.example", "192.0.2.1"));
        byte[] wire = response.ToArray();
        Assert.True(wire.AsSpan().IndexOf((byte)0xC0) >= 0);

        var result = AnswerScrubber.Scrub(wire, out byte[]? scrubbed, out int length);

        Assert.Equal(ScrubResult.Scrubbed, result);
        try
        {
            var message = DnsMessage.Parse(scrubbed.AsSpan(0, length));
            Assert.Equal(["a.example. CNAME b.example.", "b.example. A 192.0.2.1"], message.Answers.Select(Describe));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scrubbed!);
        }
    }

    [Fact]
    public void NxdomainWithInBailiwickSoa_KeepsTheSoa()
    {
        var response = DnsResponseFactory.CreateResponse(CacheMessages.QueryMessage("nothing.example.com"), DnsResponseCode.NameError);
        response.Authorities.Add(CacheMessages.Soa(3600, 900));
        response.Authorities.Add(new DnsResourceRecord(DnsName.Parse("victim.example"), 300, new NsRecordData(DnsName.Parse("ns.attacker.example"))));
        byte[] wire = response.ToArray();

        var result = AnswerScrubber.Scrub(wire, out byte[]? scrubbed, out int length);

        Assert.Equal(ScrubResult.Scrubbed, result);
        try
        {
            var message = DnsMessage.Parse(scrubbed.AsSpan(0, length));
            Assert.Equal(DnsResponseCode.NameError, message.ResponseCode);
            Assert.Equal([DnsRecordType.SOA], message.Authorities.Select(r => r.Type));
            Assert.True(DnsMessageInspector.TryGetNegativeTtl(scrubbed.AsSpan(0, length), out uint ttl));
            Assert.Equal(900u, ttl);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scrubbed!);
        }
    }

    [Fact]
    public void DnameWithSynthesizedCname_Kept()
    {
        var response = DnsResponseFactory.CreateResponse(CacheMessages.QueryMessage("www.old.example"));
        response.Answers.Add(new DnsResourceRecord(DnsName.Parse("old.example"), 300, new DnameRecordData(DnsName.Parse("new.example"))));
        response.Answers.Add(Cname("www.old.example", "www.new.example"));
        response.Answers.Add(A("www.new.example", "192.0.2.7"));
        byte[] wire = response.ToArray();

        Assert.Equal(ScrubResult.Unchanged, AnswerScrubber.Scrub(wire, out _, out _));
    }

    [Fact]
    public void CnameQuestion_ChainNotFollowed()
    {
        var response = DnsResponseFactory.CreateResponse(CacheMessages.QueryMessage("a.example", DnsRecordType.CNAME));
        response.Answers.Add(Cname("a.example", "b.example"));
        response.Answers.Add(A("b.example", "192.0.2.1"));
        byte[] wire = response.ToArray();

        var result = AnswerScrubber.Scrub(wire, out byte[]? scrubbed, out int length);

        Assert.Equal(ScrubResult.Scrubbed, result);
        Assert.Equal(["a.example. CNAME b.example."], DnsMessage.Parse(scrubbed.AsSpan(0, length)).Answers.Select(Describe));
        ArrayPool<byte>.Shared.Return(scrubbed!);
    }

    [Fact]
    public async Task ThroughTheCache_ClientGetsTheChainAndVictimIsForwarded()
    {
        var upstream = new PoisoningUpstream();
        var cache = new ResponseCache(new CacheOptions { MaxSize = 1_000_000 }, new FakeTimeProvider());
        var pipeline = PipelineBuilder.Build(upstream, next => new CacheHandler(cache, next));

        var (first, _) = await AskAsync(pipeline, "a.example");
        var (again, againSource) = await AskAsync(pipeline, "a.example");
        var (victim, victimSource) = await AskAsync(pipeline, "victim.example");

        Assert.Equal(["a.example. CNAME b.example.", "b.example. A 192.0.2.1"], first.Answers.Select(Describe));
        Assert.Equal(AnswerSource.Cache, againSource);
        Assert.Equal(["a.example. CNAME b.example.", "b.example. A 192.0.2.1"], again.Answers.Select(Describe));
        Assert.Equal(AnswerSource.Upstream, victimSource);
        Assert.Equal(["victim.example. A 198.51.100.7"], victim.Answers.Select(Describe));
        Assert.Equal(2, upstream.Calls);
    }

    /// <summary>
    /// Question <paramref name="name"/> A; answer the chain a.example → b.example plus an unrelated victim.example A; authority
    /// an in-bailiwick NS and an out-of-bailiwick one; additional glue for both.
    /// </summary>
    private static DnsMessage Poisoned(string name)
    {
        var response = DnsResponseFactory.CreateResponse(CacheMessages.QueryMessage(name));
        response.Answers.Add(Cname(name, "b.example"));
        response.Answers.Add(A("victim.example", "203.0.113.66"));
        response.Answers.Add(A("b.example", "192.0.2.1"));
        response.Authorities.Add(new DnsResourceRecord(DnsName.Parse("victim.example"), 300, new NsRecordData(DnsName.Parse("ns.attacker.example"))));
        response.Authorities.Add(new DnsResourceRecord(DnsName.Parse("example"), 300, new NsRecordData(DnsName.Parse("ns.example"))));
        response.Additionals.Add(A("ns.attacker.example", "203.0.113.53"));
        response.Additionals.Add(A("www.victim.example", "203.0.113.80"));
        response.Additionals.Add(A("ns.example", "192.0.2.53"));
        return response;
    }

    private static DnsResourceRecord A(string owner, string address) =>
        new(DnsName.Parse(owner), 300, new ARecordData(IPAddress.Parse(address)));

    private static DnsResourceRecord Cname(string owner, string target) =>
        new(DnsName.Parse(owner), 300, new CnameRecordData(DnsName.Parse(target)));

    private static string Describe(DnsResourceRecord record) => $"{record.Name} {record.Type} {record.Data}";

    private static Task<(DnsMessage Response, AnswerSource Source)> AskAsync(IQueryHandler pipeline, string name) =>
        PipelineAsk.AskAsync(pipeline, CacheMessages.Query(name, edns: false));

    /// <summary>An upstream that poisons answers for a.example and answers everything else plainly, through the forwarder's own path.</summary>
    private sealed class PoisoningUpstream : IQueryHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<QueryResult> HandleAsync(QueryContext context)
        {
            Interlocked.Increment(ref _calls);
            var query = DnsMessage.Parse(context.Query.Span);
            string name = query.Questions[0].Name.ToString().TrimEnd('.');
            DnsMessage response = name == "a.example"
                ? Poisoned(name)
                : DnsResponseFactory.CreateResponse(query, [A(name, "198.51.100.7")]);
            return ValueTask.FromResult(ForwardingHandler.AsClientAnswer(context, response.ToArray()));
        }
    }
}
