namespace Palisade.Server.Blocklists.Matching;

/// <summary>What the blocklists say about a name.</summary>
public enum MatchOutcome : byte
{
    /// <summary>No rule matches the name: resolve it normally.</summary>
    NotListed,

    /// <summary>A block rule decides: answer with the blocking response.</summary>
    Blocked,

    /// <summary>An allow rule decides (it overrides every block rule that also matches): resolve it normally.</summary>
    Allowed,
}
