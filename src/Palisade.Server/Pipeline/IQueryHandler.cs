namespace Palisade.Server.Pipeline;

/// <summary>
/// One step of the pipeline. A handler answers the query itself or passes it to the next handler, which it was given
/// when the chain was built (<see cref="PipelineBuilder"/>); it returns its result and never writes to the client.
/// </summary>
public interface IQueryHandler
{
    ValueTask<QueryResult> HandleAsync(QueryContext context);
}
