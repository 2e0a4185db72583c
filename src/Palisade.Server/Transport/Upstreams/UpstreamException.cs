namespace Palisade.Server.Transport.Upstreams;

/// <summary>An upstream failed in a way that counts against its health: unreachable, reset, or malformed framing.</summary>
public class UpstreamException : Exception
{
    public UpstreamException()
    {
    }

    public UpstreamException(string message)
        : base(message)
    {
    }

    public UpstreamException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// A failure that trying again will not mend, such as a certificate that is not valid for the upstream: logged at once
    /// as a warning rather than after several failures.
    /// </summary>
    public bool IsLasting { get; init; }
}
