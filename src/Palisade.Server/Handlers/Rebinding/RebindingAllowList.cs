using Palisade.Protocol;

namespace Palisade.Server.Handlers.Rebinding;

/// <summary>
/// The names of <c>security.rebindingAllow</c>, matched with their subdomains against a name in wire form, without
/// regard to ASCII case and without allocating.
/// </summary>
public sealed class RebindingAllowList
{
    private readonly byte[][] _names;

    /// <param name="names">Domain names as text (<c>home.arpa</c>).</param>
    public RebindingAllowList(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = [.. names.Select(n => DnsName.Parse(n).WireBytes.ToArray())];
    }

    public int Count => _names.Length;

    /// <summary>Is <paramref name="name"/> (uncompressed wire form) one of the names or below one?</summary>
    public bool Contains(ReadOnlySpan<byte> name)
    {
        if (_names.Length == 0)
        {
            return false;
        }

        // Each suffix of the name that starts at a label is compared whole with each allowed name of its length.
        for (int at = 0; at < name.Length; at += name[at] + 1)
        {
            var suffix = name[at..];
            foreach (var allowed in _names)
            {
                if (allowed.Length == suffix.Length && EqualsIgnoringCase(suffix, allowed))
                {
                    return true;
                }
            }

            if (name[at] == 0)
            {
                break;
            }
        }

        return false;
    }

    /// <summary>
    /// Compares two names in wire form without ASCII case. Folding the length octets too is harmless: a label is at
    /// most 63 octets long, below 'A'.
    /// </summary>
    private static bool EqualsIgnoringCase(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        for (int i = 0; i < left.Length; i++)
        {
            if (Fold(left[i]) != Fold(right[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static byte Fold(byte b) => (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;
}
