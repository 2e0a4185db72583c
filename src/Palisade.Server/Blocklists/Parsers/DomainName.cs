using System.Globalization;
using System.Net;

namespace Palisade.Server.Blocklists.Parsers;

/// <summary>
/// Validates and normalises a domain name from a list: one trailing dot dropped, lower-cased, an internationalised
/// name converted to punycode, labels of 1-63 letters, digits, hyphens or underscores, at most 253 characters.
/// </summary>
internal static class DomainName
{
    /// <summary>The longest name, in its dotted form without the trailing dot.</summary>
    public const int MaxLength = 253;

    private const int MaxLabelLength = 63;

    private const int LongestLocalName = 23;

    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    private static readonly string[] LocalNames =
    [
        "localhost", "localhost.localdomain", "local", "broadcasthost", "0.0.0.0",
        "localhost4", "localhost4.localdomain4", "localhost6", "localhost6.localdomain6",
    ];

    /// <summary>Normalises <paramref name="text"/>; <paramref name="domain"/> is set only when the result is valid.</summary>
    public static NameStatus Normalize(ReadOnlySpan<char> text, out string? domain)
    {
        domain = null;
        if (text.Length > 0 && text[^1] == '.')
        {
            text = text[..^1];
        }

        if (text.IsEmpty || text.Length > MaxLength)
        {
            return NameStatus.Invalid;
        }

        var shape = Scan(text);
        if (shape == Shape.NonAscii)
        {
            return NormalizeInternational(text, out domain);
        }

        if (shape == Shape.Invalid)
        {
            return text.Contains(':') && IPAddress.TryParse(text, out _) ? NameStatus.IpAddress : NameStatus.Invalid;
        }

        if (IsLocal(text))
        {
            return NameStatus.Local;
        }

        if (IsNumeric(text[(text.LastIndexOf('.') + 1)..]))
        {
            // No top-level domain is all digits: this is an address (or a broken one).
            return IPAddress.TryParse(text, out _) ? NameStatus.IpAddress : NameStatus.Invalid;
        }

        domain = shape == Shape.Lower ? new string(text) : ToLower(text);
        return NameStatus.Valid;
    }

    /// <summary>True for a well-known local name: <c>localhost</c>, <c>broadcasthost</c>, <c>ip6-*</c>...</summary>
    public static bool IsLocal(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > LongestLocalName || name[0] is not ('l' or 'L' or 'b' or 'B' or 'i' or 'I' or '0'))
        {
            return false;
        }

        if (name.StartsWith("ip6-", StringComparison.OrdinalIgnoreCase) && !name.Contains('.'))
        {
            return true;
        }

        foreach (var local in LocalNames)
        {
            if (name.Equals(local, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private enum Shape : byte
    {
        Lower,
        Upper,
        NonAscii,
        Invalid,
    }

    private static Shape Scan(ReadOnlySpan<char> text)
    {
        var shape = Shape.Lower;
        var labelLength = 0;
        foreach (var c in text)
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_')
            {
                labelLength++;
            }
            else if (c == '.')
            {
                if (labelLength == 0)
                {
                    return Shape.Invalid;
                }

                labelLength = 0;
                continue;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                labelLength++;
                shape = shape == Shape.NonAscii ? shape : Shape.Upper;
            }
            else if (c > '\u007F' && !char.IsWhiteSpace(c) && !char.IsControl(c))
            {
                labelLength++;
                shape = Shape.NonAscii;
            }
            else
            {
                return Shape.Invalid;
            }

            if (labelLength > MaxLabelLength && shape != Shape.NonAscii)
            {
                return Shape.Invalid;
            }
        }

        return labelLength == 0 ? Shape.Invalid : shape;
    }

    private static NameStatus NormalizeInternational(ReadOnlySpan<char> text, out string? domain)
    {
        domain = null;
        string ascii;
        try
        {
            ascii = Idn.GetAscii(text.ToString());
        }
        catch (ArgumentException)
        {
            return NameStatus.Invalid;
        }

        // The punycode form is plain ASCII: validate it (length, labels) like any other name.
        return ascii.Length > 0 && ascii.All(c => c < '\u0080')
            ? Normalize(ascii, out domain)
            : NameStatus.Invalid;
    }

    private static bool IsNumeric(ReadOnlySpan<char> label)
    {
        foreach (var c in label)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static string ToLower(ReadOnlySpan<char> text) =>
        string.Create(text.Length, text, static (destination, source) => source.ToLowerInvariant(destination));
}
