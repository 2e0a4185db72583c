using System.Buffers;
using System.Text;

namespace Palisade.Protocol;

/// <summary>
/// The mechanics every part that looks at names needs, on names in uncompressed wire form (length-prefixed labels
/// ending with the root's zero octet) held in spans: ASCII case folding, comparison ignoring case, and whether a name is
/// at or below a zone. None of them allocates.
/// </summary>
/// <remarks>
/// DNS compares names ignoring ASCII case only (RFC 4343 s3): octets outside 'A'..'Z' are compared as they are, so a
/// label may hold any octet, a dot or a zero included. Length octets are at most 63, below 'A', so a whole wire form can
/// be folded at once without telling length octets from label octets.
/// </remarks>
public static class WireNames
{
    /// <summary>ASCII lower case of one octet; every other octet is returned as it is.</summary>
    public static byte ToLower(byte b) => (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;

    /// <summary>Lowers <paramref name="name"/> (ASCII only) in place.</summary>
    public static void ToLowerInPlace(Span<byte> name)
    {
        // The vectorized path stops at the first octet outside ASCII; a label may hold any octet, so finish by hand.
        if (Ascii.ToLowerInPlace(name, out int done) == OperationStatus.Done)
        {
            return;
        }

        for (int i = done; i < name.Length; i++)
        {
            name[i] = ToLower(name[i]);
        }
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> in ASCII lower case.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static void ToLower(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
        {
            ThrowHelper.ThrowArgument(nameof(destination), "The destination is shorter than the name.");
        }

        if (Ascii.ToLower(source, destination, out int done) == OperationStatus.Done)
        {
            return;
        }

        for (int i = done; i < source.Length; i++)
        {
            destination[i] = ToLower(source[i]);
        }
    }

    /// <summary>Whether two names (or labels, or name suffixes) are equal ignoring ASCII case.</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        // Names compared are most often in the same case already (both lowered, or the same name read twice).
        if (left.SequenceEqual(right))
        {
            return true;
        }

        for (int i = 0; i < left.Length; i++)
        {
            if (left[i] != right[i] && ToLower(left[i]) != ToLower(right[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A hash that is equal for names equal ignoring ASCII case (randomized per process, as <see cref="HashCode"/> is).</summary>
    public static int GetHashCodeIgnoreCase(ReadOnlySpan<byte> name)
    {
        var hash = default(HashCode);
        if (name.Length <= DnsConstants.MaxNameLength)
        {
            Span<byte> lowered = stackalloc byte[DnsConstants.MaxNameLength];
            ToLower(name, lowered);
            hash.AddBytes(lowered[..name.Length]);
        }
        else
        {
            foreach (byte b in name)
            {
                hash.Add(ToLower(b));
            }
        }

        return hash.ToHashCode();
    }

    /// <summary>
    /// Whether <paramref name="name"/> equals <paramref name="zone"/> or lies below it, ignoring ASCII case: the zone
    /// must be a suffix of the name that starts on one of its label boundaries ("www.example.com." is below
    /// "example.com." and "com.", but not below "ample.com."). Every name is at or below the root.
    /// </summary>
    /// <param name="name">A valid name in uncompressed wire form.</param>
    /// <param name="zone">A valid name in uncompressed wire form.</param>
    public static bool IsAtOrBelow(ReadOnlySpan<byte> name, ReadOnlySpan<byte> zone)
    {
        // Step over the name's labels, never into them: octets inside a label may look like a length octet.
        int position = 0;
        while (name.Length - position > zone.Length)
        {
            byte label = name[position];
            if (label == 0)
            {
                return false;
            }

            position += label + 1;
        }

        return name.Length - position == zone.Length && EqualsIgnoreCase(name[position..], zone);
    }
}
