namespace Palisade.Server.Transport.Listeners;

/// <summary>A listener could not bind its address; the message is one line saying why and what to do.</summary>
public sealed class ListenerBindException : Exception
{
    public ListenerBindException()
    {
    }

    public ListenerBindException(string message)
        : base(message)
    {
    }

    public ListenerBindException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
