namespace Palisade.Protocol;

/// <summary>Reading names, with decompression (RFC 1035 s4.1.4).</summary>
public ref partial struct DnsMessageReader
{
    /// <summary>Reads a name, following compression pointers, into a new <see cref="DnsName"/>.</summary>
    public DnsName ReadName()
    {
        Span<byte> buffer = stackalloc byte[DnsConstants.MaxNameLength];
        int length = ReadName(buffer);
        return DnsName.FromValidatedWire(buffer[..length].ToArray());
    }

    /// <summary>Reads a name into <paramref name="destination"/> (give it 255 octets) without allocating.</summary>
    /// <returns>The uncompressed wire length, root octet included.</returns>
    public int ReadName(scoped Span<byte> destination)
    {
        CheckNameBuffer(destination);

        var error = DnsNameCodec.TryDecode(_message, _position, _end, destination, out int length, out int next, out int errorOffset);
        if (error != DnsReadError.None)
        {
            ThrowHelper.ThrowRead(error, errorOffset);
        }

        _position = next;
        return length;
    }

    /// <summary>Reads a name into <paramref name="destination"/>; false (cursor unmoved) when it is malformed.</summary>
    public bool TryReadName(scoped Span<byte> destination, out int length, out DnsReadError error)
    {
        CheckNameBuffer(destination);
        error = DnsNameCodec.TryDecode(_message, _position, _end, destination, out length, out int next, out _);
        if (error != DnsReadError.None)
        {
            return false;
        }

        _position = next;
        return true;
    }

    /// <summary>Moves past a name, validating it (pointers included) without copying it.</summary>
    public void SkipName()
    {
        var error = DnsNameCodec.TryDecode(_message, _position, _end, default, out _, out int next, out int errorOffset);
        if (error != DnsReadError.None)
        {
            ThrowHelper.ThrowRead(error, errorOffset);
        }

        _position = next;
    }

    /// <summary>Moves past a name; false (cursor unmoved) when it is malformed.</summary>
    public bool TrySkipName()
    {
        var error = DnsNameCodec.TryDecode(_message, _position, _end, default, out _, out int next, out _);
        if (error != DnsReadError.None)
        {
            return false;
        }

        _position = next;
        return true;
    }

    private static void CheckNameBuffer(Span<byte> destination)
    {
        if (destination.Length < DnsConstants.MaxNameLength)
        {
            ThrowHelper.ThrowArgument(nameof(destination), "A name buffer needs 255 octets.");
        }
    }
}
