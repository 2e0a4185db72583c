namespace Palisade.Server.Observability;

/// <summary>
/// Sees every query its pipeline generation finishes (a query log, statistics, metrics). Called on the thread that
/// finished the query, before the answer is sent: an observer must not block, wait or allocate on the way; one that
/// keeps something copies what it needs (the name is a span over the query's own buffer) into a bounded buffer of its
/// own and does the rest elsewhere. An exception from an observer is swallowed: observing never fails a query.
/// </summary>
public interface IQueryObserver
{
    void OnQueryCompleted(in CompletedQuery query);
}
