using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Palisade.Commands;

/// <summary>
/// The octets of a DNS message given as text, in the forms a user has at hand: hex (spaces and colons allowed, with or
/// without <c>0x</c>), the output of <c>xxd</c> (offsets and the ASCII column are skipped), or base64url, the form of a
/// DNS-over-HTTPS GET (RFC 8484 s4.1: <c>?dns=</c>, also given as the whole URL).
/// </summary>
internal static partial class MessageText
{
    /// <summary>No DNS message is shorter than its header; a shorter base64 reading is a typo, not a message.</summary>
    private const int HeaderLength = 12;

    public const string Forms = "hexadecimal (an even number of 0-9, a-f digits, spaces, colons and 0x allowed), xxd output, or base64url (as after ?dns= in a DoH URL)";

    /// <summary>
    /// Reads <paramref name="text"/>. Hex wins when the text reads as both hex and base64url (only digits and a-f, an
    /// even number of them): a message in base64url almost always has other letters.
    /// </summary>
    public static bool TryRead(string text, [NotNullWhen(true)] out byte[]? wire)
    {
        ArgumentNullException.ThrowIfNull(text);
        wire = null;
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return false;
        }

        if (DnsParameter().Match(trimmed) is { Success: true } parameter)
        {
            return TryReadBase64Url(parameter.Groups[1].Value, out wire);
        }

        string digits = HexDigits(trimmed);
        if (digits.Length > 0 && digits.Length % 2 == 0 && digits.All(char.IsAsciiHexDigit))
        {
            wire = Convert.FromHexString(digits);
            return true;
        }

        return TryReadBase64Url(trimmed, out wire);
    }

    /// <summary>The hex digits of every line: an xxd line's offset and ASCII column dropped, <c>0x</c>, spaces and colons removed.</summary>
    private static string HexDigits(string text)
    {
        var digits = new System.Text.StringBuilder(text.Length);
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (XxdLine().Match(line) is { Success: true } xxd)
            {
                line = xxd.Groups[1].Value;
            }

            foreach (string token in line.Split([' ', '\t', ':', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                digits.Append(token.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? token[2..] : token);
            }
        }

        return digits.ToString();
    }

    private static bool TryReadBase64Url(string text, [NotNullWhen(true)] out byte[]? wire)
    {
        wire = null;
        // base64 wraps its output at 76 columns; the line breaks are not part of the message.
        string base64 = new string([.. text.Where(c => !char.IsWhiteSpace(c))]).Replace('-', '+').Replace('_', '/').TrimEnd('=');
        if (base64.Length == 0 || base64.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '+' and not '/'))
        {
            return false;
        }

        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        byte[] buffer = new byte[base64.Length / 4 * 3];
        if (!Convert.TryFromBase64String(base64, buffer, out int written) || written < HeaderLength)
        {
            return false;
        }

        wire = buffer[..written];
        return true;
    }

    /// <summary>An xxd line: an offset of 8 or more hex digits and a colon, then the hex, two spaces, and the ASCII column.</summary>
    [GeneratedRegex(@"^\s*[0-9a-fA-F]{8,}:\s((?:[0-9a-fA-F]{2,}\s?)+?)(?:\s\s.*)?$")]
    private static partial Regex XxdLine();

    /// <summary>The <c>dns</c> parameter of a DoH GET URL, or <c>dns=...</c> alone.</summary>
    [GeneratedRegex(@"(?:^|[?&])dns=([A-Za-z0-9_\-=]+)(?:&|$)")]
    private static partial Regex DnsParameter();
}
