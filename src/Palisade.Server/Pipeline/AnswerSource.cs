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

    /// <summary>Made here without asking upstream: the minimal answer to an ANY query (RFC 8482).</summary>
    Synthesized,

    /// <summary>Made here for a client over its rate limit: an empty answer with TC set, so that it retries over TCP (the slip).</summary>
    RateLimited,
}
