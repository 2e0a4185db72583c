using System.Net;
using Palisade.Protocol;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Tests.Reload;

/// <summary>
/// The replaced pipeline of a reload: closed once no query is inside, and a query that reaches it afterwards (it read the
/// pipeline just before the swap) goes to the new one instead of to parts being released.
/// </summary>
public sealed class PipelineGenerationTests
{
    [Fact]
    public async Task Retire_NoQueryInside_ClosesAtOnce()
    {
        var old = new PipelineGeneration(new Answering(AnswerSource.Upstream));

        await old.RetireAsync(new Answering(AnswerSource.Cache), TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        Assert.True(old.IsClosed);
    }

    [Fact]
    public async Task Retire_QueryInside_ClosesWhenItLeaves()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var old = new PipelineGeneration(new Answering(AnswerSource.Upstream, gate.Task));
        var inside = old.HandleAsync(Context()).AsTask();

        var retiring = old.RetireAsync(new Answering(AnswerSource.Cache), TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        Assert.False(retiring.IsCompleted);
        Assert.Equal(1, old.InFlight);
        gate.SetResult();
        Assert.Equal(AnswerSource.Upstream, (await inside).Source);
        await retiring;
        Assert.True(old.IsClosed);
    }

    [Fact]
    public async Task Closed_LateQuery_GoesToTheSuccessor()
    {
        var old = new PipelineGeneration(new Answering(AnswerSource.Upstream));
        await old.RetireAsync(new Answering(AnswerSource.Cache), TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        var result = await old.HandleAsync(Context());

        Assert.Equal(AnswerSource.Cache, result.Source);
        Assert.Equal(0, old.InFlight);
    }

    [Fact]
    public async Task Retire_Stopping_ClosesWithTheQueryStillInside()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var old = new PipelineGeneration(new Answering(AnswerSource.Upstream, gate.Task));
        var inside = old.HandleAsync(Context()).AsTask();
        using var stopping = new CancellationTokenSource();

        var retiring = old.RetireAsync(new Answering(AnswerSource.Cache), TimeSpan.FromMinutes(1), TimeProvider.System, stopping.Token);
        await stopping.CancelAsync();
        await retiring;

        Assert.True(old.IsClosed);
        gate.SetResult();
        Assert.Equal(AnswerSource.Upstream, (await inside).Source);
    }

    private static QueryContext Context()
    {
        byte[] query = new DnsMessage
        {
            Header = new DnsHeader { Id = 7, RecursionDesired = true },
            Questions = { new DnsQuestion(DnsName.Parse("a.example"), DnsRecordType.A) },
        }.ToArray();
        DnsHeader.TryRead(query, out var header);
        return new QueryContext(query, new IPEndPoint(IPAddress.Loopback, 5000), DnsTransport.Udp, CancellationToken.None) { Header = header };
    }

    /// <summary>Answers REFUSED, its source given as <paramref name="source"/>, once <paramref name="gate"/> (if any) completes.</summary>
    private sealed class Answering(AnswerSource source, Task? gate = null) : IQueryHandler
    {
        public async ValueTask<QueryResult> HandleAsync(QueryContext context)
        {
            if (gate is not null)
            {
                await gate;
            }

            var refused = ErrorResponses.Create(context, DnsResponseCode.Refused);
            return QueryResult.FromPooled(refused.Buffer!, refused.Length, source);
        }
    }
}
