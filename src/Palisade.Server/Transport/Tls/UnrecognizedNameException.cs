using System.Security.Authentication;

namespace Palisade.Server.Transport.Tls;

/// <summary>
/// A TLS client asked (by SNI) for a name the certificate is not for. Thrown from the handshake's options callback; the
/// listener that catches it answers with <see cref="TlsAlert.UnrecognizedName"/> before closing.
/// </summary>
public sealed class UnrecognizedNameException : AuthenticationException
{
    public UnrecognizedNameException()
    {
    }

    public UnrecognizedNameException(string message)
        : base(message)
    {
    }

    public UnrecognizedNameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
