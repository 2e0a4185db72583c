using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Palisade.Protocol;

/// <summary>The presentation (text) form of names, with the escapes of RFC 1035 s5.1.</summary>
public sealed partial class DnsName
{
    /// <summary>
    /// Parses a name such as <c>www.example.com</c>, <c>www.example.com.</c> or <c>a\.b\032c.example.</c>.
    /// A name is always taken as absolute: the trailing dot is optional. <c>\X</c> stands for the character X and
    /// <c>\DDD</c> for the octet with decimal value DDD.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid name; the message says why.</exception>
    public static DnsName Parse(string text) => Parse(text.AsSpan());

    /// <inheritdoc cref="Parse(string)"/>
    public static DnsName Parse(ReadOnlySpan<char> text)
    {
        string? error = TryParseCore(text, out var name);
        return error is null ? name! : throw new FormatException($"Invalid domain name '{text}': {error}.");
    }

    /// <summary>Parses a name as <see cref="Parse(string)"/> does; false when it is not valid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [MaybeNullWhen(false)] out DnsName result) =>
        TryParse(text.AsSpan(), out result);

    /// <inheritdoc cref="TryParse(string, out DnsName)"/>
    public static bool TryParse(ReadOnlySpan<char> text, [MaybeNullWhen(false)] out DnsName result)
    {
        if (TryParseCore(text, out var name) is null)
        {
            result = name!;
            return true;
        }

        result = null;
        return false;
    }

    /// <summary>The presentation form, absolute (with the trailing dot), escaping what needs it.</summary>
    public override string ToString()
    {
        if (IsRoot)
        {
            return ".";
        }

        var builder = new StringBuilder(_wire.Length + 8);
        AppendTo(builder);
        return builder.ToString();
    }

    /// <summary>Appends the presentation form to <paramref name="builder"/>.</summary>
    public void AppendTo(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (IsRoot)
        {
            builder.Append('.');
            return;
        }

        int position = 0;
        while (_wire[position] != 0)
        {
            int length = _wire[position];
            foreach (byte b in _wire.AsSpan(position + 1, length))
            {
                AppendEscaped(builder, b);
            }

            builder.Append('.');
            position += length + 1;
        }
    }

    /// <summary>
    /// One octet of a label in presentation form: the characters with a meaning in zone files are escaped with a
    /// backslash, and octets outside printable ASCII (space included) become <c>\DDD</c>, as BIND and dnspython write them.
    /// </summary>
    internal static void AppendEscaped(StringBuilder builder, byte b)
    {
        switch (b)
        {
            case (byte)'.' or (byte)'\\' or (byte)'"' or (byte)'(' or (byte)')' or (byte)';' or (byte)'@' or (byte)'$':
                builder.Append('\\').Append((char)b);
                break;
            case > 0x20 and < 0x7F:
                builder.Append((char)b);
                break;
            default:
                builder.Append('\\').Append((char)('0' + (b / 100))).Append((char)('0' + (b / 10 % 10))).Append((char)('0' + (b % 10)));
                break;
        }
    }

    private static string? TryParseCore(ReadOnlySpan<char> text, out DnsName? name)
    {
        name = null;
        if (text.IsEmpty)
        {
            return "the name is empty";
        }

        if (text is ".")
        {
            name = Root;
            return null;
        }

        Span<byte> wire = stackalloc byte[DnsConstants.MaxNameLength];
        int length = 0;
        int labelStart = 0;
        int labelLength = 0;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            int octet;
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return $"empty label at character {i + 1}";
                }

                wire[labelStart] = (byte)labelLength;
                labelStart = length;
                labelLength = 0;
                i++;
                continue;
            }

            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    return "the name ends with a lone backslash";
                }

                if (char.IsAsciiDigit(text[i + 1]))
                {
                    if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
                    {
                        return $"\\DDD escape at character {i + 1} needs three digits";
                    }

                    octet = ((text[i + 1] - '0') * 100) + ((text[i + 2] - '0') * 10) + (text[i + 3] - '0');
                    if (octet > 255)
                    {
                        return $"\\DDD escape at character {i + 1} is over 255";
                    }

                    i += 4;
                }
                else if (text[i + 1] > 0x7F)
                {
                    return $"character '{text[i + 1]}' is not ASCII (write internationalised names in punycode, xn--)";
                }
                else
                {
                    octet = text[i + 1];
                    i += 2;
                }
            }
            else if (c > 0x7F)
            {
                return $"character '{c}' is not ASCII (write internationalised names in punycode, xn--)";
            }
            else
            {
                octet = c;
                i++;
            }

            if (labelLength == 0)
            {
                // Reserve the length octet of a new label.
                if (length + 1 >= DnsConstants.MaxNameLength)
                {
                    return "longer than 255 octets";
                }

                labelStart = length;
                length++;
            }

            if (labelLength == DnsConstants.MaxLabelLength)
            {
                return $"label longer than 63 octets before character {i}";
            }

            if (length + 1 >= DnsConstants.MaxNameLength)
            {
                return "longer than 255 octets";
            }

            wire[length++] = (byte)octet;
            labelLength++;
        }

        if (labelLength > 0)
        {
            wire[labelStart] = (byte)labelLength;
        }

        wire[length++] = 0;
        name = new DnsName(wire[..length].ToArray());
        return null;
    }
}
