namespace Palisade.Server.Blocklists.Parsers;

/// <summary>What a rule does to the names it matches.</summary>
public enum RuleAction : byte
{
    /// <summary>Answer the name as blocked.</summary>
    Block,

    /// <summary>An exception (<c>@@</c>): never block the name, unless an important block rule matches it.</summary>
    Allow,
}
