namespace Palisade.Server.Transport.Upstreams.Encrypted;

/// <summary>The connection a query was sent on ended before its answer came.</summary>
internal sealed class ConnectionLostException : UpstreamException
{
    public ConnectionLostException(string message)
        : base(message)
    {
    }

    public ConnectionLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
