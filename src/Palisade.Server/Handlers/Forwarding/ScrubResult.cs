namespace Palisade.Server.Handlers.Forwarding;

/// <summary>What <see cref="AnswerScrubber.Scrub"/> did.</summary>
public enum ScrubResult
{
    /// <summary>Every record belongs to the answer: the response is used as it is.</summary>
    Unchanged,

    /// <summary>Records were removed: the scrubbed message is in a pooled buffer.</summary>
    Scrubbed,

    /// <summary>The response could not be read.</summary>
    Malformed,
}
