using Palisade.Server.Handlers.Validation;

namespace Palisade.Server.Pipeline;

/// <summary>
/// Builds the chain of handlers, in the one place where their order is decided. Each handler is given the next when it
/// is built; a feature that is off is left out of the chain rather than checked on every query.
/// </summary>
public static class PipelineBuilder
{
    /// <summary>The handlers, outermost first, each made from the one after it.</summary>
    /// <param name="terminal">The last handler: forwarding.</param>
    /// <param name="steps">
    /// Factories for the steps between validation and forwarding, in order. The order, and why:
    /// access control (refuse strangers before spending anything on them), rate limiting (before any work),
    /// local records (the owner's own names win over everything), blocking (before the cache, so that a list change
    /// applies at once and blocked names never reach the cache), ANY queries (after blocking, so that a blocked name
    /// looks blocked for every type; before the cache and the upstreams, which never see ANY), cache (answers most
    /// queries without leaving the process), rebinding protection (sees only upstream answers, never Palisade's own
    /// blocked ones, once each rather than on every cache hit, and keeps what it stops out of the cache), then forwarding.
    /// </param>
    public static IQueryHandler Build(IQueryHandler terminal, params Func<IQueryHandler, IQueryHandler>[] steps)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(steps);
        var handler = terminal;
        for (int i = steps.Length - 1; i >= 0; i--)
        {
            handler = steps[i](handler);
        }

        // Validation is always first: nothing else may look at a query that is malformed or not a standard query.
        return new QueryValidationHandler(handler);
    }
}
