using Palisade.Fuzz.Targets;

namespace Palisade.Fuzz;

/// <summary>One input's worth of a target: throws when the input shows a bug, returns otherwise.</summary>
public delegate void FuzzTarget(ReadOnlySpan<byte> input);

/// <summary>The targets by name, as <c>Palisade.Fuzz TARGET</c>, <c>fuzz/run.sh TARGET</c> and the replay tests name them.</summary>
public static class FuzzTargets
{
    /// <summary>Every target; the name is also the folder of its seed corpus (<c>fuzz/corpus/NAME</c>).</summary>
    public static IReadOnlyDictionary<string, FuzzTarget> All { get; } = new Dictionary<string, FuzzTarget>(StringComparer.Ordinal)
    {
        ["wire"] = WireTarget.Run,
        ["hosts"] = HostsTarget.Run,
        ["domains"] = DomainsTarget.Run,
        ["adblock"] = AdblockTarget.Run,
        ["config"] = ConfigTarget.Run,
        ["pipeline"] = PipelineTarget.Run,
    };
}
