namespace Palisade.Server.Blocklists.Parsers;

/// <summary>What <see cref="DomainName.Normalize"/> made of a name.</summary>
internal enum NameStatus : byte
{
    /// <summary>A valid name; the normalised form was returned.</summary>
    Valid,

    /// <summary>Not a valid domain name.</summary>
    Invalid,

    /// <summary>An IP address (or a dotted number), not a name.</summary>
    IpAddress,

    /// <summary>A well-known local name that no list may block.</summary>
    Local,
}
