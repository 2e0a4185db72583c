namespace Palisade.Server.Blocklists.Parsers;

/// <summary>Which names a rule's domain covers.</summary>
public enum RuleMatch : byte
{
    /// <summary>The domain itself only.</summary>
    Exact,

    /// <summary>The domain and every name below it.</summary>
    WithSubdomains,
}
