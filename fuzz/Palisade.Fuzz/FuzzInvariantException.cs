namespace Palisade.Fuzz;

/// <summary>
/// A target's invariant did not hold (a response that does not parse, an ID not echoed, an exception that a parser
/// promised never to throw...). It is never caught by a target, so afl-fuzz records the input as a crash.
/// </summary>
public sealed class FuzzInvariantException : Exception
{
    public FuzzInvariantException()
    {
    }

    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    public FuzzInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
