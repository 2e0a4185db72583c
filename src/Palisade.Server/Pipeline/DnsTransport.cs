namespace Palisade.Server.Pipeline;

/// <summary>How a query reached the server.</summary>
public enum DnsTransport
{
    Udp,
    Tcp,

    /// <summary>DNS over TLS (RFC 7858).</summary>
    Tls,

    /// <summary>DNS over HTTPS (RFC 8484).</summary>
    Https,
}
