using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Server.Configuration;

/// <summary>The network syntaxes: listen and bootstrap endpoints, upstream URLs, IP addresses and CIDR networks.</summary>
public static partial class ValueParsers
{
    /// <summary>
    /// A local address to listen on: <c>ADDR:PORT</c> or <c>[IPv6]:PORT</c>; a bare IP means port 53. Port 0 is refused.
    /// </summary>
    public static bool TryParseListenEndPoint(string text, [MaybeNullWhen(false)] out IPEndPoint endPoint, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        endPoint = null;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            error = $"'{text}' is not a listen address (use ADDR:PORT, e.g. 127.0.0.1:53 or [::1]:53)";
            return false;
        }

        return TryParseEndPoint(text, text.Trim(), "listen", out endPoint, out error);
    }

    /// <summary>A bootstrap DNS server: a plain <c>IP</c> or <c>IP:PORT</c> (port 53 unless given), asked over UDP.</summary>
    public static bool TryParseBootstrap(string text, [MaybeNullWhen(false)] out IPEndPoint endPoint, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        endPoint = null;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            error = $"'{text}' is not a bootstrap server (use a plain IP such as 9.9.9.9, or IP:PORT; it is asked over UDP)";
            return false;
        }

        return TryParseEndPoint(text, text.Trim(), "bootstrap", out endPoint, out error);
    }

    /// <summary>An upstream URL: see <see cref="UpstreamParser"/>.</summary>
    public static bool TryParseUpstream(string text, [MaybeNullWhen(false)] out UpstreamOptions upstream, [NotNullWhen(false)] out string? error) =>
        UpstreamParser.TryParse(text, out upstream, out error);

    /// <summary>An IPv4 address in dotted-quad form (<c>192.0.2.1</c>).</summary>
    public static bool TryParseIPv4Address(string text, [MaybeNullWhen(false)] out IPAddress address, [NotNullWhen(false)] out string? error) =>
        TryParseAddress(text, AddressFamily.InterNetwork, "IPv4", out address, out error);

    /// <summary>An IPv6 address (<c>2001:db8::1</c>, <c>::</c>).</summary>
    public static bool TryParseIPv6Address(string text, [MaybeNullWhen(false)] out IPAddress address, [NotNullWhen(false)] out string? error) =>
        TryParseAddress(text, AddressFamily.InterNetworkV6, "IPv6", out address, out error);

    private static bool TryParseEndPoint(string original, string s, string what, [MaybeNullWhen(false)] out IPEndPoint endPoint, [NotNullWhen(false)] out string? error)
    {
        endPoint = null;
        if (!TrySplitHostPort(original, s, what, defaultPort: 53, out var host, out var port, out error) ||
            !TryParseIp(original, host, out var address, out error))
        {
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>
    /// Splits <c>HOST</c>, <c>HOST:PORT</c>, <c>[IPv6]:PORT</c> or a bare IPv6 address into the host (brackets removed)
    /// and the port (<paramref name="defaultPort"/> when none is written), checking the port's range.
    /// </summary>
    internal static bool TrySplitHostPort(string original, string s, string what, int defaultPort, out string host, out int port, [NotNullWhen(false)] out string? error)
    {
        string? portText = null;
        port = defaultPort;
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                host = string.Empty;
                error = $"'{original}' has no closing ']' (write IPv6 addresses as [::1]:53)";
                return false;
            }

            host = s[1..close];
            var rest = s[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = $"'{original}' is not a valid {what} address: ']' must be followed by ':PORT' (use IP:PORT, e.g. 192.0.2.1:53 or [2001:db8::1]:53)";
                    return false;
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colons = s.Count(c => c == ':');
            if (colons == 1)
            {
                var colon = s.IndexOf(':', StringComparison.Ordinal);
                host = s[..colon];
                portText = s[(colon + 1)..];
            }
            else
            {
                // No colon: a bare IPv4 address (or a hostname); several: a bare IPv6 address.
                host = s;
            }
        }

        if (portText is not null)
        {
            if (portText.Length == 0 || portText.Length > 5 || !portText.All(char.IsAsciiDigit))
            {
                error = $"'{original}' has no valid port after ':' (use a number from 1 to 65535)";
                return false;
            }

            port = int.Parse(portText, NumberStyles.None, CultureInfo.InvariantCulture);
            if (port == 0)
            {
                error = what == "listen"
                    ? $"'{original}' has port 0, which would make the system pick a random port no client can know (use 1-65535)"
                    : $"'{original}' has port 0, which no server listens on (use 1-65535)";
                return false;
            }

            if (port > 65535)
            {
                error = $"'{original}' has port {port}, which is out of range (use 1-65535)";
                return false;
            }
        }

        error = null;
        return true;
    }

    internal static bool TryParseIp(string original, string host, [MaybeNullWhen(false)] out IPAddress address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        if (host.Contains(':', StringComparison.Ordinal))
        {
            if (IPAddress.TryParse(host, out address) && address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                error = null;
                return true;
            }
        }
        else if (IsDottedQuad(host) && IPAddress.TryParse(host, out address) && address.AddressFamily == AddressFamily.InterNetwork)
        {
            error = null;
            return true;
        }
        // Name the value once when the host is all of it ('1', 'dns.google'), else the part and the whole.
        var subject = string.Equals(host, original.Trim(), StringComparison.Ordinal) ? $"'{original}'" : $"'{original}': '{host}'";
        if (host.Length > 0 && host.Any(char.IsAsciiLetter) && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            address = null;
            error = $"{subject} is a hostname, but an IP address is needed (hostnames are not resolved)";
            return false;
        }

        address = null;
        var colon = host.IndexOf(':', StringComparison.Ordinal);
        error = colon > 0 && IsDottedQuad(host[..colon])
            ? $"'{original}' has more than one ':' after the IPv4 address (write IP:PORT, e.g. 127.0.0.1:5300)"
            : $"{subject} is not an IP address";
        return false;
    }

    private static bool TryParseAddress(string text, AddressFamily family, string familyName, [MaybeNullWhen(false)] out IPAddress address, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParseIp(text, text.Trim(), out address, out error))
        {
            return false;
        }

        if (address.AddressFamily != family)
        {
            address = null;
            error = $"'{text}' is not an {familyName} address";
            return false;
        }

        return true;
    }

    private static bool IsDottedQuad(string host)
    {
        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit));
    }

    /// <summary>A network in CIDR form (<c>192.168.0.0/16</c>, <c>fc00::/7</c>), or one address (a /32 or /128).</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network, [NotNullWhen(false)] out string? error)
    {
        string trimmed = text.Trim();
        if (IPNetwork.TryParse(trimmed, out network))
        {
            error = null;
            return true;
        }

        if (!trimmed.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(trimmed, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            error = null;
            return true;
        }

        error = $"'{text}' is not a network (use CIDR such as 192.168.0.0/16 or fc00::/7)";
        return false;
    }
}
