namespace Palisade.Server.Blocklists.Parsers;

/// <summary>
/// One <c>$badfilter</c> rule. It cancels, in every list, the rule that the same line reads as without the modifier
/// (same pattern, same other modifiers), as AdGuard Home does: <c>||example.com^$badfilter</c> cancels
/// <c>||example.com^</c>, not <c>|example.com^</c> nor <c>||example.com^$important</c>.
/// </summary>
/// <param name="Text">The line as written, for <c>palisade check</c>.</param>
/// <param name="Line">The 1-based line number it came from.</param>
/// <param name="Cancels">The domain rule it cancels, or null when it cancels a regex.</param>
/// <param name="CancelsRegex">The regex rule it cancels, or null when it cancels a domain rule.</param>
public sealed record BadfilterRule(string Text, int Line, BlocklistRule? Cancels, RegexRule? CancelsRegex);
