namespace Palisade.Server.Blocklists.Matching;

/// <summary>
/// The form the matcher keys domains by: the DNS wire form without its root octet, in ASCII lower case
/// (<c>www.example.com</c> is <c>03 www 07 example 03 com</c>). Every parent of a name is then a suffix of it that
/// starts at a length octet, so walking up from a query name is skipping a label, with no copy and no allocation.
/// </summary>
internal static class DomainWire
{
    /// <summary>The longest name: 255 octets in wire form, root octet included (RFC 1035 s3.1).</summary>
    public const int MaxLength = 254;

    public const int MaxLabelLength = 63;

    /// <summary>
    /// Measures a wire-form name: labels until the root octet, or until the span ends. Whatever follows the root
    /// octet is ignored, so a name may be given in place in a larger buffer.
    /// </summary>
    /// <returns>The length without the root octet (0 for the root); -1 when malformed (a compression pointer, a
    /// label running past the span, or longer than 255 octets).</returns>
    public static int Measure(ReadOnlySpan<byte> wire)
    {
        int position = 0;
        while (position < wire.Length)
        {
            int length = wire[position];
            if (length == 0)
            {
                return position;
            }

            position += 1 + length;
            if (length > MaxLabelLength || position > wire.Length || position > MaxLength)
            {
                return -1;
            }
        }

        return position;
    }

    /// <summary>
    /// Writes a dotted name in the keyed form, lowering ASCII letters. A trailing dot is optional.
    /// </summary>
    /// <param name="text">The name, e.g. <c>WWW.Example.com.</c>.</param>
    /// <param name="destination">At least <see cref="MaxLength"/> octets.</param>
    /// <returns>The length written (0 for the root, <c>""</c> or <c>"."</c>); -1 when the name has an empty or
    /// over-long label, a character outside ASCII, or is over-long.</returns>
    public static int FromText(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (text.Length > 0 && text[^1] == '.')
        {
            text = text[..^1];
        }

        if (text.IsEmpty)
        {
            return 0;
        }

        int labelStart = 0;
        int position = 1;
        foreach (char c in text)
        {
            if (c == '.')
            {
                if (!CloseLabel(destination, labelStart, position))
                {
                    return -1;
                }

                labelStart = position++;
            }
            else
            {
                if (c > 0x7F || position >= MaxLength)
                {
                    return -1;
                }

                destination[position++] = (byte)(c is >= 'A' and <= 'Z' ? c | 0x20 : c);
            }
        }

        return CloseLabel(destination, labelStart, position) ? position : -1;
    }

    /// <summary>The dotted text of a keyed name, without a trailing dot.</summary>
    public static string ToText(ReadOnlySpan<byte> wire)
    {
        if (wire.IsEmpty)
        {
            return ".";
        }

        return string.Create(wire.Length - 1, wire, static (chars, octets) =>
        {
            int position = 0;
            int written = 0;
            while (position < octets.Length)
            {
                if (written > 0)
                {
                    chars[written++] = '.';
                }

                int length = octets[position++];
                for (int i = 0; i < length; i++)
                {
                    chars[written++] = (char)octets[position++];
                }
            }
        });
    }

    /// <summary>Writes the label's length octet; false when the label is empty or too long.</summary>
    private static bool CloseLabel(Span<byte> destination, int labelStart, int position)
    {
        int length = position - labelStart - 1;
        if (length is 0 or > MaxLabelLength)
        {
            return false;
        }

        destination[labelStart] = (byte)length;
        return true;
    }
}
