namespace Palisade.Server.Caching;

/// <summary>
/// Compares cache keys as octets (they are lowered when built, so exact comparison is case-insensitive comparison),
/// and lets a dictionary keyed on <c>byte[]</c> be searched with a <see cref="ReadOnlySpan{T}"/> so that a lookup
/// allocates nothing. The hash is <see cref="HashCode"/>'s, seeded per process, so an attacker cannot choose names that
/// collide.
/// </summary>
internal sealed class CacheKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly CacheKeyComparer Instance = new();

    private CacheKeyComparer()
    {
    }

    public static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = default(HashCode);
        hash.AddBytes(key);
        return hash.ToHashCode();
    }

    public bool Equals(byte[]? x, byte[]? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(byte[] obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}
