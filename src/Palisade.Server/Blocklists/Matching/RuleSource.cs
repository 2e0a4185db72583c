namespace Palisade.Server.Blocklists.Matching;

/// <summary>Where a rule came from: the list (its index in the configuration) and the line in it.</summary>
internal readonly record struct RuleSource(ushort ListIndex, int Line);
