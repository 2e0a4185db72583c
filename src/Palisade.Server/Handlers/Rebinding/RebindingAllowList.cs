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
        foreach (var allowed in _names)
        {
            if (WireNames.IsAtOrBelow(name, allowed))
            {
                return true;
            }
        }

        return false;
    }
}
