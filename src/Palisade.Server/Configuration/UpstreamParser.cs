using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Palisade.Server.Configuration;

/// <summary>
/// Parses an upstream URL:
/// <list type="bullet">
/// <item><c>udp://IP[:PORT]</c>, <c>tcp://IP[:PORT]</c>, or a bare <c>IP</c>, <c>IP:PORT</c>, <c>[IPv6]:PORT</c> (UDP with TCP fallback; port 53);</item>
/// <item><c>tls://HOST-OR-IP[:PORT][#AUTH-NAME]</c>: DNS over TLS (RFC 7858, port 853); the name after <c>#</c>, or the host, is sent as SNI and must be on the certificate;</item>
/// <item><c>https://HOST[:PORT]/PATH[#IP]</c>: DNS over HTTPS (RFC 8484, port 443, path <c>/dns-query</c> when none); <c>#IP</c> saves the bootstrap lookup.</item>
/// </list>
/// Either encrypted form takes <c>?pin=sha256/BASE64</c> to pin the server's public key as well.
/// </summary>
internal static class UpstreamParser
{
    private const string PinPrefix = "sha256/";

    public static bool TryParse(string text, [MaybeNullWhen(false)] out UpstreamOptions upstream, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        upstream = null;
        var s = text.Trim();
        var schemeEnd = s.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd >= 0 ? s[..schemeEnd].ToUpperInvariant() : "UDP";
        var rest = schemeEnd >= 0 ? s[(schemeEnd + 3)..] : s;
        switch (scheme)
        {
            case "UDP" or "TCP":
                if (rest.IndexOfAny(['#', '?', '/']) >= 0)
                {
                    error = $"'{text}': a plain DNS upstream is IP[:PORT] only (no path, '#' or '?pin': those are for tls:// and https://)";
                    return false;
                }

                if (!ValueParsers.TrySplitHostPort(text, rest, "upstream", 53, out var host, out var port, out error) ||
                    !ValueParsers.TryParseIp(text, host, out var address, out error))
                {
                    return false;
                }

                upstream = new UpstreamOptions(scheme == "TCP" ? UpstreamProtocol.Tcp : UpstreamProtocol.Udp, new IPEndPoint(address, port));
                return true;
            case "TLS":
                return TryParseTls(text, rest, out upstream, out error);
            case "HTTPS":
                return TryParseHttps(text, rest, out upstream, out error);
            case "QUIC" or "H3" or "HTTP":
                error = $"'{text}': {s[..(schemeEnd + 3)]} upstreams are not supported (use tls://, https://, udp:// or tcp://)";
                return false;
            default:
                error = $"'{text}' has an unknown scheme '{s[..(schemeEnd + 3)]}' (use tls://, https://, udp://, tcp:// or a bare IP)";
                return false;
        }
    }

    private static bool TryParseTls(string text, string rest, [MaybeNullWhen(false)] out UpstreamOptions upstream, [NotNullWhen(false)] out string? error)
    {
        upstream = null;
        if (!TrySplitParts(text, rest, out var main, out var fragment, out var pin, out error))
        {
            return false;
        }

        if (main.Contains('/', StringComparison.Ordinal))
        {
            error = $"'{text}': a tls:// upstream has no path (write tls://HOST-OR-IP[:PORT][#NAME])";
            return false;
        }

        if (!TryParseHost(text, main, 853, out var host, out var port, out var address, out error))
        {
            return false;
        }

        if (fragment is not null && !IsHostName(fragment))
        {
            error = $"'{text}': '{fragment}' after '#' is not a host name (it is the name the server's certificate must carry)";
            return false;
        }

        upstream = new UpstreamOptions(UpstreamProtocol.Tls, address is null ? null : new IPEndPoint(address, port))
        {
            HostName = address is null ? host : null,
            Port = port,
            TlsName = fragment ?? (address is null ? host : null),
            Pin = pin,
        };
        return true;
    }

    private static bool TryParseHttps(string text, string rest, [MaybeNullWhen(false)] out UpstreamOptions upstream, [NotNullWhen(false)] out string? error)
    {
        upstream = null;
        if (!TrySplitParts(text, rest, out var main, out var fragment, out var pin, out error))
        {
            return false;
        }

        var slash = main.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? main[..slash] : main;
        var path = slash >= 0 ? main[slash..] : "/dns-query";
        if (path == "/")
        {
            path = "/dns-query";
        }

        if (!Uri.TryCreate("https://example" + path, UriKind.Absolute, out _) || path.Any(char.IsWhiteSpace))
        {
            error = $"'{text}': '{path}' is not a valid URL path";
            return false;
        }

        if (authority.Contains('@', StringComparison.Ordinal))
        {
            error = $"'{text}': user names and passwords in upstream URLs are not supported";
            return false;
        }

        if (!TryParseHost(text, authority, 443, out var host, out var port, out var address, out error))
        {
            return false;
        }

        IPAddress? fixedAddress = address;
        if (fragment is not null)
        {
            if (address is not null)
            {
                error = $"'{text}': '#{fragment}' gives an address, but the URL already has one";
                return false;
            }

            if (!ValueParsers.TryParseIp(text, fragment.Trim('[', ']'), out fixedAddress, out _))
            {
                error = $"'{text}': '{fragment}' after '#' is not an IP address (it is the address to connect to, instead of a bootstrap lookup)";
                return false;
            }
        }

        upstream = new UpstreamOptions(UpstreamProtocol.Https, fixedAddress is null ? null : new IPEndPoint(fixedAddress, port))
        {
            HostName = address is null ? host : null,
            Port = port,
            TlsName = address is null ? host : null,
            Path = path,
            Pin = pin,
        };
        return true;
    }

    /// <summary>Splits <c>MAIN[?pin=...][#FRAGMENT]</c>, in either order of the two suffixes.</summary>
    private static bool TrySplitParts(string text, string rest, out string main, out string? fragment, out string? pin, [NotNullWhen(false)] out string? error)
    {
        fragment = null;
        pin = null;
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var mainEnd = hash < 0 ? question : question < 0 ? hash : Math.Min(hash, question);
        main = mainEnd < 0 ? rest : rest[..mainEnd];
        if (hash >= 0)
        {
            fragment = rest[(hash + 1)..(question > hash ? question : rest.Length)];
            if (fragment.Length == 0)
            {
                error = $"'{text}' has nothing after '#'";
                return false;
            }
        }

        if (question >= 0)
        {
            var query = rest[(question + 1)..(hash > question ? hash : rest.Length)];
            if (!TryParsePin(text, query, out pin, out error))
            {
                return false;
            }
        }

        error = null;
        return true;
    }

    private static bool TryParsePin(string text, string query, out string? pin, [NotNullWhen(false)] out string? error)
    {
        pin = null;
        const string Key = "pin=";
        if (!query.StartsWith(Key, StringComparison.Ordinal) || query.Contains('&', StringComparison.Ordinal))
        {
            error = $"'{text}': '?{query}' is not understood (the only parameter is ?pin=sha256/BASE64)";
            return false;
        }

        var value = query[Key.Length..];
        if (!value.StartsWith(PinPrefix, StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{text}': the pin must be sha256/BASE64, the base64 SHA-256 of the server's SubjectPublicKeyInfo";
            return false;
        }

        var digest = new byte[32];
        if (!Convert.TryFromBase64String(value[PinPrefix.Length..], digest, out var written) || written != 32)
        {
            error = $"'{text}': the pin '{value}' is not the base64 of a 32-octet SHA-256 digest";
            return false;
        }

        pin = PinPrefix + Convert.ToBase64String(digest);
        error = null;
        return true;
    }

    /// <summary>A host that is an IP address (<paramref name="address"/> set) or a host name (looked up through bootstrap).</summary>
    private static bool TryParseHost(string text, string authority, int defaultPort, out string host, out int port, out IPAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        if (!ValueParsers.TrySplitHostPort(text, authority, "upstream", defaultPort, out host, out port, out error))
        {
            return false;
        }

        if (ValueParsers.TryParseIp(text, host, out var parsed, out _))
        {
            address = parsed;
            return true;
        }

        if (!IsHostName(host))
        {
            error = $"'{text}': '{host}' is neither an IP address nor a host name";
            return false;
        }

        host = host.TrimEnd('.').ToLowerInvariant();
        return true;
    }

    /// <summary>A host name as certificates carry them (RFC 1123): letters, digits and hyphens in labels of 1 to 63.</summary>
    private static bool IsHostName(string name) =>
        name.Length is > 0 and <= 253 && name.Any(char.IsAsciiLetter) &&
        name.TrimEnd('.').Split('.').All(label =>
            label.Length is > 0 and <= 63 && !label.StartsWith('-') && !label.EndsWith('-') &&
            label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
}
