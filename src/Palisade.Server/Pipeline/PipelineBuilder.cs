using Palisade.Server.Handlers.Validation;

namespace Palisade.Server.Pipeline;

/// <summary>
/// Composes a chain of handlers behind validation, which is always first. The server's order lives in
/// <see cref="PipelineTable"/>; this is the composition it (and tests that build a partial chain) use. Each handler is
/// given the next when it is built; a feature that is off is left out of the chain rather than checked on every query.
/// </summary>
public static class PipelineBuilder
{
    /// <summary>The handlers, outermost first, each made from the one after it.</summary>
    /// <param name="terminal">The last handler: forwarding.</param>
    /// <param name="steps">Factories for the steps between validation and <paramref name="terminal"/>, in order.</param>
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
