namespace Palisade.Server.Pipeline;

/// <summary>How a query reached the server.</summary>
public enum DnsTransport
{
    Udp,
    Tcp,
}
