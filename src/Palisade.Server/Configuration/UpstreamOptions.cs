using System.Net;
using System.Text;

namespace Palisade.Server.Configuration;

/// <summary>One upstream resolver, as parsed from its URL (see <see cref="UpstreamParser"/>).</summary>
/// <param name="Protocol">How to reach it.</param>
/// <param name="EndPoint">Its address and port; null when it is written as a host name, looked up through <c>bootstrap</c>.</param>
public sealed record UpstreamOptions(UpstreamProtocol Protocol, IPEndPoint? EndPoint)
{
    /// <summary>The host name in the URL (<c>https://dns.quad9.net/...</c>), or null when an IP address is written.</summary>
    public string? HostName { get; init; }

    /// <summary>The port: 53 for plain DNS, 853 for DNS over TLS and 443 for DNS over HTTPS unless written.</summary>
    public int Port { get; init; } = EndPoint?.Port ?? 0;

    /// <summary>
    /// The name the server's certificate must carry, also sent as SNI: the <c>#NAME</c> of a <c>tls://</c> URL or the host
    /// name of either. Null when only an IP address is given: the certificate must then carry that address.
    /// </summary>
    public string? TlsName { get; init; }

    /// <summary>The path of a DNS-over-HTTPS URL (<c>/dns-query</c>).</summary>
    public string? Path { get; init; }

    /// <summary>An optional pin on the server's public key: <c>sha256/BASE64</c> of its SubjectPublicKeyInfo.</summary>
    public string? Pin { get; init; }

    /// <summary>Whether the address has to be looked up through <c>bootstrap</c> first.</summary>
    public bool NeedsBootstrap => EndPoint is null;

    /// <summary>Whether queries to it are encrypted.</summary>
    public bool IsEncrypted => Protocol is UpstreamProtocol.Tls or UpstreamProtocol.Https;

    /// <summary>
    /// As it would be written in the config, in full: <c>udp://192.0.2.1:53</c>, <c>tls://9.9.9.9:853#dns.quad9.net</c>,
    /// <c>https://dns.quad9.net:443/dns-query</c>, with the pin when there is one.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Protocol switch
        {
            UpstreamProtocol.Tcp => "tcp://",
            UpstreamProtocol.Tls => "tls://",
            UpstreamProtocol.Https => "https://",
            _ => "udp://",
        });
        text.Append(HostName is not null ? $"{HostName}:{Port}" : EndPoint!.ToString());
        if (Protocol == UpstreamProtocol.Https)
        {
            text.Append(Path);
        }

        if (Pin is not null)
        {
            text.Append("?pin=").Append(Pin);
        }

        string? fragment = Protocol switch
        {
            UpstreamProtocol.Tls when TlsName is not null && TlsName != HostName => TlsName,
            UpstreamProtocol.Https when HostName is not null && EndPoint is not null => EndPoint.Address.ToString(),
            _ => null,
        };
        if (fragment is not null)
        {
            text.Append('#').Append(fragment);
        }

        return text.ToString();
    }
}

/// <summary>The transport of an upstream.</summary>
public enum UpstreamProtocol
{
    /// <summary>UDP, retried over TCP when the answer is truncated (<c>udp://</c> or a bare IP).</summary>
    Udp,

    /// <summary>TCP only (<c>tcp://</c>).</summary>
    Tcp,

    /// <summary>DNS over TLS, RFC 7858 (<c>tls://</c>).</summary>
    Tls,

    /// <summary>DNS over HTTPS, RFC 8484 (<c>https://</c>).</summary>
    Https,
}
