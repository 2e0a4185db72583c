using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Blocklists.Matching;

/// <summary>
/// One rule as the matcher holds it: the listed domain, its kind, and the first source that gave that kind for that
/// domain (the index of the list in the configuration, and <see cref="BlocklistRule.Line"/> in it).
/// </summary>
public sealed record MatchExplanation(BlocklistRule Rule, ushort ListIndex);
