using System.Net;
using Microsoft.Extensions.Logging;
using Palisade.Protocol;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Transport.Listeners;

/// <summary>
/// What every listener does with one query's octets: drop what has no readable header or is itself a response
/// (RFC 1035 s4.1.1), run the pipeline, finish the response, and count what is in flight so that shutdown can wait for it.
/// Nothing a client sends can throw out of here.
/// </summary>
internal sealed partial class QueryDispatcher(IQueryHandler pipeline, ILogger logger, TimeProvider timeProvider)
{
    private IQueryHandler _pipeline = pipeline;
    private int _inFlight;
    private TaskCompletionSource? _drained;
    private readonly Lock _lock = new();

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// The pipeline new queries go through. Replacing it (a configuration reload) leaves queries already in it to finish
    /// there; only queries that arrive afterwards see the new one.
    /// </summary>
    public IQueryHandler Pipeline
    {
        get => Volatile.Read(ref _pipeline);
        set => Volatile.Write(ref _pipeline, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Handles one query and gives the finished response to <paramref name="send"/> (not called for a drop).</summary>
    public ValueTask DispatchAsync<TState>(
        ReadOnlyMemory<byte> query,
        IPEndPoint client,
        DnsTransport transport,
        TState state,
        Func<TState, ReadOnlyMemory<byte>, ValueTask> send,
        CancellationToken cancellation) =>
        DispatchAsync(new QueryContext(query, client, transport, cancellation), state, send);

    /// <summary>
    /// Handles the query in <paramref name="context"/> and gives the finished response to <paramref name="send"/> (not
    /// called for a drop). When the pipeline and the send finish at once (a cache hit, a blocked name), so does this,
    /// allocating nothing: the listener may then reuse the context. Otherwise the context belongs to the query until
    /// the returned task completes.
    /// </summary>
    public async ValueTask DispatchAsync<TState>(QueryContext context, TState state, Func<TState, ReadOnlyMemory<byte>, ValueTask> send)
    {
        if (!DnsHeader.TryRead(context.Query.Span, out var header) || header.IsResponse)
        {
            return;
        }

        Interlocked.Increment(ref _inFlight);
        QueryResult result = default;
        try
        {
            context.Header = header;
            context.ReceivedTimestamp = timeProvider.GetTimestamp();
            result = await Pipeline.HandleAsync(context).ConfigureAwait(false);
            if (result.IsDrop)
            {
                return;
            }

            var response = ResponseFinisher.Finish(context, ref result);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogQuery(context, result);
            }

            if (!response.IsEmpty)
            {
                await send(state, response).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogQueryFailed(logger, context.Client, exception);
        }
        finally
        {
            result.Release();
            if (Interlocked.Decrement(ref _inFlight) == 0)
            {
                lock (_lock)
                {
                    _drained?.TrySetResult();
                }
            }
        }
    }

    private void LogQuery(QueryContext context, QueryResult result)
    {
        var name = context.QuestionName.IsEmpty ? DnsName.Root : DnsName.FromWire(context.QuestionName);
        double milliseconds = timeProvider.GetElapsedTime(context.ReceivedTimestamp).TotalMilliseconds;
        LogQuery(logger, context.Client, name, context.Question.Type, result.ResponseCode, result.Source, milliseconds);
    }

    /// <summary>Completes when no query is in flight, or when <paramref name="cancellation"/> ends.</summary>
    public async Task WaitForDrainAsync(CancellationToken cancellation)
    {
        Task drained;
        lock (_lock)
        {
            if (Volatile.Read(ref _inFlight) == 0)
            {
                return;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
        }

        try
        {
            await drained.WaitAsync(cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "{Client} {Name} {Type} -> {ResponseCode} from {Source} in {Milliseconds:F1} ms")]
    private static partial void LogQuery(ILogger logger, IPEndPoint client, DnsName name, DnsRecordType type, DnsResponseCode responseCode, AnswerSource source, double milliseconds);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "A query from {Client} failed inside the server")]
    private static partial void LogQueryFailed(ILogger logger, IPEndPoint client, Exception exception);
}
