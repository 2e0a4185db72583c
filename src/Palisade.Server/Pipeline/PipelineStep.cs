using Palisade.Server.Configuration;

namespace Palisade.Server.Pipeline;

/// <summary>
/// One row of the pipeline table (<see cref="PipelineTable"/>): a step's name, the part it keeps across reloads (made
/// from the options, kept while its settings stay the same), and the handler it puts in the chain. A step whose part is
/// null, or whose handler factory returns null, is left out of the chain for that configuration.
/// </summary>
internal sealed class PipelineStep
{
    private PipelineStep(
        string name,
        Func<PalisadeOptions, PalisadeOptions, bool>? sameSettings,
        Func<PipelineBuild, object?>? createPart,
        Func<object?, PipelineBuild, IQueryHandler, IQueryHandler?> handler)
    {
        Name = name;
        SameSettings = sameSettings;
        CreatePart = createPart;
        Handler = handler;
    }

    /// <summary>The step's name, as parts are looked up by it (<see cref="PipelineParts.Get{T}"/>).</summary>
    public string Name { get; }

    /// <summary>True when a part made for the first options serves the second as it is; null for a step without a part.</summary>
    public Func<PalisadeOptions, PalisadeOptions, bool>? SameSettings { get; }

    /// <summary>Makes the part (null: the step is off for these options).</summary>
    public Func<PipelineBuild, object?>? CreatePart { get; }

    /// <summary>Makes the handler from the part, the build and the next handler (null: left out).</summary>
    public Func<object?, PipelineBuild, IQueryHandler, IQueryHandler?> Handler { get; }

    /// <summary>A step with no part of its own: its handler is made from the options for each generation.</summary>
    public static PipelineStep Stateless(string name, Func<PipelineBuild, IQueryHandler, IQueryHandler?> handler) =>
        new(name, null, null, (_, build, next) => handler(build, next));

    /// <summary>
    /// A step with a part of type <typeparamref name="TPart"/>, kept across a reload while <paramref name="sameSettings"/>
    /// holds; <paramref name="create"/> returns null when the step is off, and the handler is left out then.
    /// </summary>
    public static PipelineStep WithPart<TPart>(
        string name,
        Func<PalisadeOptions, PalisadeOptions, bool> sameSettings,
        Func<PipelineBuild, TPart?> create,
        Func<TPart, PipelineBuild, IQueryHandler, IQueryHandler> handler)
        where TPart : class =>
        new(name, sameSettings, build => create(build), (part, build, next) => part is TPart typed ? handler(typed, build, next) : null);
}
