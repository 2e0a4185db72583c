namespace Palisade.Server.Transport.Tls;

/// <summary>The TLS certificate or key files cannot be used: the message says which and why, in one line.</summary>
public sealed class TlsCertificateException : Exception
{
    public TlsCertificateException()
    {
    }

    public TlsCertificateException(string message)
        : base(message)
    {
    }

    public TlsCertificateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
