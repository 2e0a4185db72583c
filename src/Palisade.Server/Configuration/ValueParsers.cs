using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Palisade.Server.Configuration;

/// <summary>
/// Parses the value syntaxes of the configuration (durations, sizes, endpoints, upstream URLs, booleans, enums) and
/// formats them back. Each parser returns false with a short explanation (that quotes the input) instead of throwing.
/// </summary>
public static class ValueParsers
{
    private const string DurationHint = "use e.g. 500ms, 5s, 10m, 24h, 1d or 1h30m";
    private const string SizeHint = "use e.g. 200MB, 64MiB or 0";

    private static readonly (string Unit, long Ticks)[] DurationUnits =
    [
        ("d", TimeSpan.TicksPerDay),
        ("h", TimeSpan.TicksPerHour),
        ("m", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond),
        ("ms", TimeSpan.TicksPerMillisecond),
    ];

    private static readonly (string Unit, long Bytes)[] SizeUnits =
    [
        ("B", 1),
        ("KB", 1000),
        ("MB", 1000 * 1000),
        ("GB", 1000 * 1000 * 1000),
        ("KiB", 1024),
        ("MiB", 1024 * 1024),
        ("GiB", 1024 * 1024 * 1024),
    ];

    /// <summary>
    /// A duration: a number and a unit (<c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>), or several from the largest
    /// unit down (<c>1h30m</c>). A bare <c>0</c> is zero; any other bare number is an error asking for a unit.
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = TimeSpan.Zero;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = $"'{text}' is not a duration ({DurationHint})";
            return false;
        }

        if (s == "0")
        {
            error = null;
            return true;
        }

        if (s.All(char.IsAsciiDigit))
        {
            error = $"'{text}' has no unit ({DurationHint})";
            return false;
        }

        long ticks = 0;
        var previousUnit = -1;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            var unit = s[unitStart..i].ToLowerInvariant();
            var unitIndex = Array.FindIndex(DurationUnits, u => u.Unit == unit);
            if (unitStart == start || unitIndex < 0 || unitIndex <= previousUnit)
            {
                error = $"'{text}' is not a duration ({DurationHint})";
                return false;
            }

            previousUnit = unitIndex;
            if (!long.TryParse(s.AsSpan(start, unitStart - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                error = $"'{text}' is too long a duration";
                return false;
            }

            try
            {
                ticks = checked(ticks + checked(number * DurationUnits[unitIndex].Ticks));
            }
            catch (OverflowException)
            {
                error = $"'{text}' is too long a duration";
                return false;
            }
        }

        value = TimeSpan.FromTicks(ticks);
        error = null;
        return true;
    }

    /// <summary>
    /// A size in bytes: a number (fractions allowed) with <c>B</c>, <c>KB</c>, <c>MB</c>, <c>GB</c> (powers of 1000) or
    /// <c>KiB</c>, <c>MiB</c>, <c>GiB</c> (powers of 1024), case-insensitive; a bare number is bytes.
    /// </summary>
    public static bool TryParseSize(string text, out long bytes, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        bytes = 0;
        var s = text.Trim();
        var numberEnd = 0;
        while (numberEnd < s.Length && (char.IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.'))
        {
            numberEnd++;
        }

        var unit = s[numberEnd..].Trim();
        long multiplier = 1;
        if (unit.Length > 0)
        {
            var found = Array.FindIndex(SizeUnits, u => string.Equals(u.Unit, unit, StringComparison.OrdinalIgnoreCase));
            if (found < 0)
            {
                error = $"'{text}' is not a size ({SizeHint})";
                return false;
            }

            multiplier = SizeUnits[found].Bytes;
        }

        if (numberEnd == 0
            || !decimal.TryParse(s.AsSpan(0, numberEnd), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            error = $"'{text}' is not a size ({SizeHint})";
            return false;
        }

        try
        {
            var total = decimal.Floor(number * multiplier);
            if (total > long.MaxValue)
            {
                error = $"'{text}' is too large a size";
                return false;
            }

            bytes = (long)total;
        }
        catch (OverflowException)
        {
            error = $"'{text}' is too large a size";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>A whole number in decimal (<c>300</c>, <c>-1</c>); the key's own check decides the range.</summary>
    public static bool TryParseInteger(string text, out int value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        if (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = null;
            return true;
        }

        error = s.TrimStart('-', '+').Length > 0 && s.TrimStart('-', '+').All(char.IsAsciiDigit)
            ? $"'{text}' is too large a number"
            : $"'{text}' is not a whole number";
        return false;
    }

    /// <summary><c>true</c> or <c>false</c> (also <c>yes</c>/<c>no</c>, <c>on</c>/<c>off</c>), case-insensitive.</summary>
    public static bool TryParseBoolean(string text, out bool value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.Trim().ToUpperInvariant())
        {
            case "TRUE" or "YES" or "ON":
                value = true;
                error = null;
                return true;
            case "FALSE" or "NO" or "OFF":
                value = false;
                error = null;
                return true;
            default:
                value = false;
                error = $"'{text}' is not a boolean (use true or false)";
                return false;
        }
    }

    /// <summary>
    /// A member of <typeparamref name="TEnum"/>, written in camelCase (<c>roundRobin</c>) and matched case-insensitively;
    /// the error lists the valid values.
    /// </summary>
    public static bool TryParseEnum<TEnum>(string text, out TEnum value, [NotNullWhen(false)] out string? error)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(EnumName(candidate), s, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                error = null;
                return true;
            }
        }

        var names = Enum.GetValues<TEnum>().Select(EnumName).ToArray();
        var suggestion = DidYouMean.Closest(s, names);
        value = default;
        error = $"'{text}' is not one of {string.Join(", ", names)}"
            + (suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)");
        return false;
    }

    /// <summary>The name of an enum member as written in the configuration: camelCase.</summary>
    public static string EnumName<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        return string.Concat(name[..1].ToLowerInvariant(), name[1..]);
    }

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

    /// <summary>The longest inline rule (<c>blocking.allow</c>, <c>blocking.deny</c>) that is accepted.</summary>
    public const int MaxInlineRuleLength = 1024;

    /// <summary>The longest list name that is accepted.</summary>
    public const int MaxListNameLength = 100;

    /// <summary>A file or directory path: not empty, no control characters. Not resolved or checked for existence.</summary>
    public static bool TryParsePath(string text, [MaybeNullWhen(false)] out string path, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        path = null;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "a path is empty";
            return false;
        }

        if (s.Any(char.IsControl))
        {
            error = $"'{text}' is not a path (it has a control character)";
            return false;
        }

        path = s;
        error = null;
        return true;
    }

    /// <summary>
    /// Where a blocklist comes from: an <c>http://</c> or <c>https://</c> URL with a host, or a local file path. Other
    /// schemes (<c>ftp://</c>, <c>file://</c>) are refused.
    /// </summary>
    public static bool TryParseListSource(string text, [MaybeNullWhen(false)] out string source, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        source = null;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "a list source is empty (use an http:// or https:// URL or a file path)";
            return false;
        }

        var schemeEnd = s.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0 && s[..schemeEnd].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            if (!BlocklistSourceOptions.IsRemoteSource(s))
            {
                error = $"'{text}' has an unsupported scheme '{s[..(schemeEnd + 3)]}' (use an http:// or https:// URL or a local file path)";
                return false;
            }

            if (s.Any(char.IsWhiteSpace) || !Uri.TryCreate(s, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                error = $"'{text}' is not a valid URL";
                return false;
            }

            source = s;
            error = null;
            return true;
        }

        if (!TryParsePath(s, out source, out _))
        {
            error = $"'{text}' is not a URL or a file path (it has a control character)";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>A list's name: not empty, at most <see cref="MaxListNameLength"/> characters, no control characters.</summary>
    public static bool TryParseListName(string text, [MaybeNullWhen(false)] out string name, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        name = null;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "a list name is empty";
            return false;
        }

        if (s.Length > MaxListNameLength)
        {
            error = $"'{s[..20]}...' is longer than {MaxListNameLength} characters";
            return false;
        }

        if (s.Any(char.IsControl))
        {
            error = $"'{text}' has a control character";
            return false;
        }

        name = s;
        error = null;
        return true;
    }

    /// <summary>
    /// An inline rule (<c>blocking.allow</c>, <c>blocking.deny</c>): a name or an adblock rule, checked only lightly
    /// (not empty, no whitespace inside, at most <see cref="MaxInlineRuleLength"/> characters); the list parser reads it.
    /// </summary>
    public static bool TryParseInlineRule(string text, [MaybeNullWhen(false)] out string rule, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        rule = null;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "a rule is empty";
            return false;
        }

        if (s.Length > MaxInlineRuleLength)
        {
            error = $"'{s[..40]}...' is longer than {MaxInlineRuleLength} characters";
            return false;
        }

        if (s.Any(char.IsWhiteSpace))
        {
            error = $"'{text}' has whitespace in it (give one name or rule per item)";
            return false;
        }

        rule = s;
        error = null;
        return true;
    }

    /// <summary>
    /// A domain name (<c>home.arpa</c>, <c>Corp.Example.</c>): returned in lower case, in punycode, without the trailing
    /// dot. The root and IP addresses are refused.
    /// </summary>
    public static bool TryParseDomainName(string text, [MaybeNullWhen(false)] out string name, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        name = null;
        switch (Blocklists.Parsers.DomainName.Normalize(s, out var normalized))
        {
            case Blocklists.Parsers.NameStatus.Valid:
                name = normalized!;
                error = null;
                return true;
            case Blocklists.Parsers.NameStatus.Local when !IPAddress.TryParse(s.TrimEnd('.'), out _):
                // localhost, local...: names in their own right here, which the list parser only sets apart.
                name = s.TrimEnd('.').ToLowerInvariant();
                error = null;
                return true;
            case Blocklists.Parsers.NameStatus.IpAddress or Blocklists.Parsers.NameStatus.Local:
                error = $"'{text}' is an IP address, not a domain name";
                return false;
            default:
                error = s is "." or ""
                    ? $"'{text}' is not a domain name (the root would allow every name)"
                    : $"'{text}' is not a domain name";
                return false;
        }
    }

    /// <summary>An IPv4 address in dotted-quad form (<c>192.0.2.1</c>).</summary>
    public static bool TryParseIPv4Address(string text, [MaybeNullWhen(false)] out IPAddress address, [NotNullWhen(false)] out string? error) =>
        TryParseAddress(text, AddressFamily.InterNetwork, "IPv4", out address, out error);

    /// <summary>An IPv6 address (<c>2001:db8::1</c>, <c>::</c>).</summary>
    public static bool TryParseIPv6Address(string text, [MaybeNullWhen(false)] out IPAddress address, [NotNullWhen(false)] out string? error) =>
        TryParseAddress(text, AddressFamily.InterNetworkV6, "IPv6", out address, out error);

    /// <summary>A duration as the parser reads it: <c>0s</c>, <c>500ms</c>, <c>1h30m</c>, <c>1d</c>.</summary>
    public static string FormatDuration(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            builder.Append('-');
            value = value.Duration();
        }

        var ticks = value.Ticks;
        foreach (var (unit, unitTicks) in DurationUnits)
        {
            var count = ticks / unitTicks;
            if (count > 0)
            {
                builder.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                ticks -= count * unitTicks;
            }
        }

        if (ticks > 0)
        {
            // Below a millisecond: not something the parser produces; shown for completeness.
            builder.Append((ticks * 100).ToString(CultureInfo.InvariantCulture)).Append("ns");
        }

        return builder.ToString();
    }

    /// <summary>A size in the largest unit that divides it exactly: <c>200MB</c>, <c>64MiB</c>, <c>1500B</c>, <c>0</c>.</summary>
    public static string FormatSize(long bytes)
    {
        if (bytes == 0)
        {
            return "0";
        }

        foreach (var (unit, size) in SizeUnits.Where(u => u.Bytes > 1).OrderByDescending(u => u.Bytes))
        {
            if (bytes % size == 0)
            {
                return (bytes / size).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }

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
