namespace Palisade.Server.Pipeline;

/// <summary>
/// The parts one generation is served with, by step name. A part may be shared with the next generation (a reload that
/// did not change its settings); it is released when the last generation that uses it has been retired.
/// </summary>
internal sealed class PipelineParts(IReadOnlyDictionary<string, object> parts)
{
    public static PipelineParts None { get; } = new(new Dictionary<string, object>());

    public IEnumerable<object> All => parts.Values;

    /// <summary>The part of the step named <paramref name="step"/>, or null when it is off.</summary>
    public T? Get<T>(string step)
        where T : class =>
        parts.GetValueOrDefault(step) as T;

    /// <summary>True when <paramref name="part"/> is one of these parts (the same object).</summary>
    public bool Holds(object part) => parts.Values.Any(p => ReferenceEquals(p, part));
}
