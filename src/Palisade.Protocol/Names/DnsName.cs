namespace Palisade.Protocol;

/// <summary>
/// A domain name. It keeps the case it was given but compares and hashes without regard to ASCII case
/// (RFC 4343). Held as its uncompressed wire form, so writing it costs a copy and comparing it costs no decoding.
/// </summary>
public sealed partial class DnsName : IEquatable<DnsName>
{
    private readonly byte[] _wire;
    private int _hashCode;

    private DnsName(byte[] wire)
    {
        _wire = wire;
        LabelCount = DnsNameCodec.CountLabels(wire);
    }

    /// <summary>The root name ".".</summary>
    public static DnsName Root { get; } = new([0]);

    /// <summary>Number of labels, the root not counted: "www.example.com." has 3.</summary>
    public int LabelCount { get; }

    /// <summary>Octets of the uncompressed wire form, the root octet included (at most 255).</summary>
    public int WireLength => _wire.Length;

    public bool IsRoot => _wire.Length == 1;

    /// <summary>The uncompressed wire form.</summary>
    public ReadOnlySpan<byte> WireBytes => _wire;

    /// <summary>Makes a name from an uncompressed wire form, checking every length.</summary>
    /// <exception cref="DnsProtocolException">The octets are not exactly one valid uncompressed name.</exception>
    public static DnsName FromWire(ReadOnlySpan<byte> wire)
    {
        var error = Validate(wire, out int length, out int errorOffset);
        if (error != DnsReadError.None)
        {
            ThrowHelper.ThrowRead(error, errorOffset);
        }

        if (length != wire.Length)
        {
            ThrowHelper.ThrowRead(DnsReadError.TrailingData, length, "octets after the root label");
        }

        return new DnsName(wire.ToArray());
    }

    /// <summary>Wraps an array already known to hold one valid uncompressed name; the array is not copied.</summary>
    internal static DnsName FromValidatedWire(byte[] wire) => wire.Length == 1 ? Root : new DnsName(wire);

    /// <summary>Copies the uncompressed wire form into <paramref name="destination"/>.</summary>
    /// <returns>The number of octets written.</returns>
    public int CopyTo(Span<byte> destination)
    {
        _wire.CopyTo(destination);
        return _wire.Length;
    }

    /// <summary>True when this name equals <paramref name="other"/> or lies below it ("a.b.example." is under "example.").</summary>
    public bool IsSubdomainOf(DnsName other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return LabelCount >= other.LabelCount && WireNames.IsAtOrBelow(_wire, other._wire);
    }

    /// <summary>The name without its first label; the root's parent is the root.</summary>
    public DnsName Parent() => IsRoot ? this : FromValidatedWire(_wire.AsSpan(_wire[0] + 1).ToArray());

    /// <summary>The first label's octets (empty for the root).</summary>
    public ReadOnlySpan<byte> FirstLabel => _wire.AsSpan(1, _wire[0]);

    /// <summary>A name that prepends <paramref name="label"/> to this one.</summary>
    public DnsName Prepend(ReadOnlySpan<byte> label)
    {
        if (label.IsEmpty || label.Length > DnsConstants.MaxLabelLength)
        {
            ThrowHelper.ThrowArgument(nameof(label), "A label is 1 to 63 octets.");
        }

        if (_wire.Length + 1 + label.Length > DnsConstants.MaxNameLength)
        {
            ThrowHelper.ThrowArgument(nameof(label), "The name would be longer than 255 octets.");
        }

        var wire = new byte[_wire.Length + 1 + label.Length];
        wire[0] = (byte)label.Length;
        label.CopyTo(wire.AsSpan(1));
        _wire.CopyTo(wire.AsSpan(1 + label.Length));
        return new DnsName(wire);
    }

    /// <summary>The same name in ASCII lower case (the canonical form of RFC 4034 s6.2).</summary>
    public DnsName ToLowerInvariant()
    {
        var wire = new byte[_wire.Length];
        WireNames.ToLower(_wire, wire);
        return new DnsName(wire);
    }

    public bool Equals(DnsName? other) =>
        other is not null && (ReferenceEquals(this, other) || WireNames.EqualsIgnoreCase(_wire, other._wire));

    /// <summary>Exact comparison, letter case included.</summary>
    public bool EqualsExact(DnsName? other) => other is not null && _wire.AsSpan().SequenceEqual(other._wire);

    public override bool Equals(object? obj) => Equals(obj as DnsName);

    public override int GetHashCode()
    {
        int hash = _hashCode;
        if (hash == 0)
        {
            hash = WireNames.GetHashCodeIgnoreCase(_wire);
            _hashCode = hash == 0 ? 1 : hash;
        }

        return _hashCode;
    }

    public static bool operator ==(DnsName? left, DnsName? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(DnsName? left, DnsName? right) => !(left == right);

    /// <summary>Checks an uncompressed wire form without allocating.</summary>
    internal static DnsReadError Validate(ReadOnlySpan<byte> wire, out int length, out int errorOffset)
    {
        int position = 0;
        while (true)
        {
            if (position >= wire.Length)
            {
                length = 0;
                errorOffset = position;
                return DnsReadError.Truncated;
            }

            byte b = wire[position];
            if (b > DnsConstants.MaxLabelLength)
            {
                length = 0;
                errorOffset = position;
                return DnsReadError.BadLabel;
            }

            int nextPosition = position + 1 + b;
            if (nextPosition > DnsConstants.MaxNameLength || (b != 0 && nextPosition >= DnsConstants.MaxNameLength))
            {
                length = 0;
                errorOffset = position;
                return DnsReadError.NameTooLong;
            }

            if (b == 0)
            {
                length = nextPosition;
                errorOffset = -1;
                return DnsReadError.None;
            }

            position = nextPosition;
        }
    }
}
