using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Palisade.Protocol;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.AccessControl;
using Palisade.Server.Pipeline;
using Palisade.Server.Tests.Blocklists.Sources;

namespace Palisade.Server.Tests.Handlers.AccessControl;

/// <summary>Queries refused by access control, through the handler, and the once-a-minute line they leave.</summary>
public sealed class RefusalSummaryTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RecordingLogger<RefusalSummary> _logger = new();
    private readonly RefusalSummary _summary;

    public RefusalSummaryTests() => _summary = new RefusalSummary(_time, _logger);

    public void Dispose() => _summary.Dispose();

    [Fact]
    public async Task Handle_FirstStranger_LineAtOnce()
    {
        await AskAsync("2001:db8:1::53", AccessAction.Refuse);

        var line = Assert.Single(_logger.Lines);
        Assert.Equal((LogLevel.Information, 500), (line.Level, line.EventId));
        Assert.Equal("Refused 1 query from 1 client outside access.allow (first: 2001:db8:1::53); see access.allow", line.Message);
    }

    [Fact]
    public async Task Handle_TwelveFromTwoClientsInAMinute_OneSummaryLine()
    {
        await AskAsync("203.0.113.1", AccessAction.Refuse);
        _time.Advance(TimeSpan.FromSeconds(5));
        for (int i = 0; i < 6; i++)
        {
            await AskAsync("2001:db8:1::53", AccessAction.Refuse);
            await AskAsync("203.0.113.9", AccessAction.Refuse);
        }

        Assert.Single(_logger.Lines);
        _time.Advance(TimeSpan.FromSeconds(55));

        Assert.Equal(
            "Refused 12 queries from 2 clients outside access.allow (first: 2001:db8:1::53); see access.allow",
            _logger.Lines[^1].Message);
        Assert.Equal(2, _logger.Lines.Count);
    }

    [Fact]
    public async Task Handle_DropAction_SummarySaysDropped()
    {
        await AskAsync("203.0.113.1", AccessAction.Drop);

        Assert.StartsWith("Dropped 1 query from 1 client outside access.allow", Assert.Single(_logger.Lines).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_AllowedClient_NotCounted()
    {
        await AskAsync("192.168.1.20", AccessAction.Refuse);
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Empty(_logger.Lines);
    }

    [Fact]
    public void Record_WithinTheMinute_AllocatesNothing()
    {
        var clients = new[] { IPAddress.Parse("2001:db8:1::53"), IPAddress.Parse("203.0.113.9") };
        _summary.Record(clients[0]);
        _summary.Record(clients[1]);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            _summary.Record(clients[i % 2]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private async Task AskAsync(string client, AccessAction action)
    {
        _summary.Action = action;
        byte[] query = new DnsMessage { Header = new DnsHeader { Id = 3 }, Questions = { new DnsQuestion(DnsName.Parse("example.com"), DnsRecordType.A) } }.ToArray();
        DnsHeader.TryRead(query, out var header);
        var context = new QueryContext(query, new IPEndPoint(IPAddress.Parse(client), 4000), DnsTransport.Udp, CancellationToken.None) { Header = header };
        var access = AccessList.Fixed(AccessOptions.PrivateNetworks);
        var pipeline = PipelineBuilder.Build(new Answering(), next => new AccessControlHandler(access, action, _summary, next));
        var result = await pipeline.HandleAsync(context);
        result.Release();
    }

    private sealed class Answering : IQueryHandler
    {
        public ValueTask<QueryResult> HandleAsync(QueryContext context)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(context.Query.Length);
            context.Query.Span.CopyTo(buffer);
            buffer[2] |= 0x80;
            return ValueTask.FromResult(QueryResult.FromPooled(buffer, context.Query.Length, AnswerSource.Upstream));
        }
    }
}
