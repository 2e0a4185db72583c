namespace Palisade.Server.Blocklists.Parsers;

/// <summary>The syntax a list was written in, as detected from its lines.</summary>
public enum BlocklistFormat
{
    /// <summary><c>0.0.0.0 name [name...]</c> lines.</summary>
    Hosts,

    /// <summary>One plain domain a line.</summary>
    Domains,

    /// <summary><c>*.domain</c> lines.</summary>
    Wildcard,

    /// <summary>Adblock / AdGuard DNS syntax (<c>||domain^</c>, <c>@@</c> exceptions, regexes, modifiers).</summary>
    Adblock,

    /// <summary>Lines of more than one of the syntaxes above.</summary>
    Mixed,

    /// <summary>No rule lines at all (only comments and blank lines, or nothing).</summary>
    Empty,
}
