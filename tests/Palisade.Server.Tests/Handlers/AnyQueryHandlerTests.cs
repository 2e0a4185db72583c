using System.Buffers;
using System.Net;
using Palisade.Protocol;
using Palisade.Server.Handlers.AnyQuery;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Tests.Handlers;

public sealed class AnyQueryHandlerTests
{
    /// <summary>The HINFO RDATA of RFC 8482 s4.2: CPU "RFC8482", OS the empty string.</summary>
    private static readonly byte[] Rfc8482Hinfo = [7, (byte)'R', (byte)'F', (byte)'C', (byte)'8', (byte)'4', (byte)'8', (byte)'2', 0];

    [Theory]
    [InlineData(DnsTransport.Udp)]
    [InlineData(DnsTransport.Tcp)]
    public async Task Any_AnsweredWithOneHinfo_NotForwarded(DnsTransport transport)
    {
        var upstream = new CountingUpstream();
        var (response, source) = await AskAsync("WwW.Example.COM", DnsRecordType.ANY, upstream, transport);

        Assert.Equal(0, upstream.Calls);
        Assert.Equal(AnswerSource.Synthesized, source);
        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal(7, response.Header.Id);
        Assert.True(response.Header.IsResponse);
        Assert.True(response.Header.RecursionDesired);
        Assert.True(response.Header.RecursionAvailable);
        Assert.False(response.Header.AuthoritativeAnswer);
        Assert.False(response.Header.Truncated);
        var question = Assert.Single(response.Questions);
        Assert.True(question.Name.EqualsExact(DnsName.Parse("WwW.Example.COM")));
        Assert.Equal(DnsRecordType.ANY, question.Type);

        var hinfo = Assert.Single(response.Answers);
        Assert.True(hinfo.Name.EqualsExact(DnsName.Parse("WwW.Example.COM")));
        Assert.Equal(DnsRecordType.HINFO, hinfo.Type);
        Assert.Equal(DnsClass.IN, hinfo.Class);
        Assert.Equal(3600u, hinfo.Ttl);
        Assert.Equal(Rfc8482Hinfo, ((UnknownRecordData)hinfo.Data).Data.ToArray());
        Assert.Empty(response.Authorities);
        Assert.Empty(response.Additionals);
    }

    [Theory]
    [InlineData(DnsRecordType.A)]
    [InlineData(DnsRecordType.AAAA)]
    [InlineData(DnsRecordType.HINFO)]
    [InlineData(DnsRecordType.TXT)]
    public async Task OtherTypes_PassedOn(DnsRecordType type)
    {
        var upstream = new CountingUpstream();
        var (_, source) = await AskAsync("example.com", type, upstream);

        Assert.Equal(1, upstream.Calls);
        Assert.Equal(AnswerSource.Upstream, source);
    }

    [Theory]
    [InlineData(DnsClass.IN, DnsClass.IN)]
    [InlineData(DnsClass.CH, DnsClass.CH)]
    [InlineData(DnsClass.Any, DnsClass.IN)]
    public async Task Any_RecordClass_IsTheQuestionsOrInForQclassAny(DnsClass questionClass, DnsClass recordClass)
    {
        var (response, _) = await AskAsync("example.com", DnsRecordType.ANY, new CountingUpstream(), questionClass: questionClass);

        Assert.Equal(questionClass, response.Questions[0].Class);
        Assert.Equal(recordClass, Assert.Single(response.Answers).Class);
    }

    [Fact]
    public async Task Any_Root_OwnedByTheRoot()
    {
        var (response, _) = await AskAsync(".", DnsRecordType.ANY, new CountingUpstream());

        Assert.True(Assert.Single(response.Answers).Name.IsRoot);
    }

    [Fact]
    public async Task Any_LongestName_Fits()
    {
        // 255 octets in wire form, as long as a name may be: three labels of 63 letters and one of 61, each after its
        // length octet, and the root.
        string name = string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', 61);
        var (response, _) = await AskAsync(name, DnsRecordType.ANY, new CountingUpstream());

        Assert.Equal(255, response.Answers.Single().Name.WireLength);
    }

    private static async Task<(DnsMessage Response, AnswerSource Source)> AskAsync(
        string name, DnsRecordType type, IQueryHandler upstream, DnsTransport transport = DnsTransport.Udp, DnsClass questionClass = DnsClass.IN)
    {
        byte[] query = new DnsMessage
        {
            Header = new DnsHeader { Id = 7, RecursionDesired = true },
            Questions = { new DnsQuestion(DnsName.Parse(name), type, questionClass) },
        }.ToArray();
        DnsHeader.TryRead(query, out var header);
        var context = new QueryContext(query, new IPEndPoint(IPAddress.Loopback, 4000), transport, CancellationToken.None) { Header = header };
        var pipeline = PipelineBuilder.Build(upstream, next => new AnyQueryHandler(next));
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

    /// <summary>Answers 192.0.2.1 and counts how often it was asked.</summary>
    private sealed class CountingUpstream : IQueryHandler
    {
        public int Calls { get; private set; }

        public ValueTask<QueryResult> HandleAsync(QueryContext context)
        {
            Calls++;
            var query = DnsMessage.Parse(context.Query.Span);
            var response = DnsResponseFactory.CreateResponse(query);
            response.Answers.Add(new DnsResourceRecord(query.Questions[0].Name, 300, new ARecordData(IPAddress.Parse("192.0.2.1"))));
            byte[] wire = response.ToArray();
            byte[] buffer = ArrayPool<byte>.Shared.Rent(wire.Length);
            wire.CopyTo(buffer, 0);
            return ValueTask.FromResult(QueryResult.FromPooled(buffer, wire.Length, AnswerSource.Upstream));
        }
    }
}
