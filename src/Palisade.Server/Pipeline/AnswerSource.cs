namespace Palisade.Server.Pipeline;

/// <summary>Where an answer came from, for logs and metrics.</summary>
public enum AnswerSource
{
    /// <summary>Forwarded to an upstream and answered by it.</summary>
    Upstream,

    /// <summary>From the cache, fresh.</summary>
    Cache,

    /// <summary>From the cache after expiry, because the upstreams failed (RFC 8767).</summary>
    Stale,

    /// <summary>Made here for a blocked name.</summary>
    Blocked,

    /// <summary>Made here: an error such as FORMERR, NOTIMP or SERVFAIL.</summary>
    Error,
}
