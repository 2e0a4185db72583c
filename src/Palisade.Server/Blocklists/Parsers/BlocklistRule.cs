namespace Palisade.Server.Blocklists.Parsers;

/// <summary>
/// One parsed rule. <paramref name="Domain"/> is lower-case ASCII (an internationalised name is converted to
/// punycode), has no trailing dot, is validated (labels of 1-63 letters, digits, hyphens or underscores; at most
/// 253 characters in all) and is never empty.
/// </summary>
/// <param name="Domain">The normalised domain name.</param>
/// <param name="Match">Whether the rule covers the name only or its subdomains too.</param>
/// <param name="Action">Block, or allow (an exception).</param>
/// <param name="Important">The rule carried <c>$important</c>: an important block beats exceptions.</param>
/// <param name="Line">The 1-based line number the rule came from.</param>
public readonly record struct BlocklistRule(string Domain, RuleMatch Match, RuleAction Action, bool Important, int Line);
