namespace Palisade.Server.Blocklists.Parsers;

/// <summary>
/// One adblock regular-expression rule (<c>/pattern/</c>). The pattern is at most 1,000 characters and is known to
/// compile with <see cref="System.Text.RegularExpressions.RegexOptions.NonBacktracking"/>, so matching it costs
/// time linear in the name's length.
/// </summary>
/// <param name="Pattern">The pattern between the slashes, as written in the list.</param>
/// <param name="Action">Block, or allow (an <c>@@/.../</c> exception).</param>
/// <param name="Important">The rule carried <c>$important</c>.</param>
/// <param name="Line">The 1-based line number the rule came from.</param>
public readonly record struct RegexRule(string Pattern, RuleAction Action, bool Important, int Line);
