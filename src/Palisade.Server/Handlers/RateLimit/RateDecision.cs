namespace Palisade.Server.Handlers.RateLimit;

/// <summary>What <see cref="ClientRateTable.Take"/> decides for one UDP query.</summary>
internal enum RateDecision
{
    /// <summary>Under the limit: the query goes on down the chain.</summary>
    Allow,

    /// <summary>Over the limit: no answer at all.</summary>
    Drop,

    /// <summary>Over the limit, but every second such query gets an empty answer with TC set, so that a real client retries over TCP.</summary>
    Slip,
}
