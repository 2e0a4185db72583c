namespace Palisade.Server.Transport.Upstreams;

/// <summary>An upstream failed in a way that counts against its health: unreachable, reset, or malformed framing.</summary>
public sealed class UpstreamException : Exception
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
}
