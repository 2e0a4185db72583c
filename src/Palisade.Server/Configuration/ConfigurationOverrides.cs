namespace Palisade.Server.Configuration;

/// <summary>
/// Values given on the command line. They are applied last, after the file and the environment; a non-empty list
/// replaces the configured list as a whole.
/// </summary>
public sealed record ConfigurationOverrides
{
    /// <summary>No overrides.</summary>
    public static ConfigurationOverrides None { get; } = new();

    /// <summary><c>--listen</c>: replaces <c>listen</c> when not empty.</summary>
    public IReadOnlyList<string> Listen { get; init; } = [];

    /// <summary><c>--upstream</c>: replaces <c>upstreams</c> when not empty.</summary>
    public IReadOnlyList<string> Upstreams { get; init; } = [];
}
