namespace Palisade.Protocol;

/// <summary>Writing names, with compression (RFC 1035 s4.1.4).</summary>
public ref partial struct DnsMessageWriter
{
    /// <summary>Pointers hold 14 bits: a suffix written past this offset cannot be pointed to.</summary>
    private const int MaxPointerTarget = 0x3FFF;

    /// <summary>
    /// Writes a name. With <paramref name="compress"/> (the default) the longest suffix already written is replaced
    /// by a pointer, and the new suffixes are remembered; RFC 3597 s4 allows compression only in the RDATA of the
    /// types of RFC 1035, so record data of other types passes false.
    /// </summary>
    public void WriteName(DnsName name, bool compress = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        WriteName(name.WireBytes, compress);
    }

    /// <summary>Writes a name given in uncompressed wire form (assumed valid).</summary>
    public void WriteName(scoped ReadOnlySpan<byte> wire, bool compress = true)
    {
        bool useTable = compress && !_compression.IsEmpty;
        int nameStart = _position;
        int literalLabels = 0;
        int labelStart = 0;
        bool pointed = false;
        while (wire[labelStart] != 0)
        {
            if (useTable && TryFindSuffix(wire[labelStart..], out int target))
            {
                WriteUInt16((ushort)(0xC000 | target));
                pointed = true;
                break;
            }

            int labelLength = wire[labelStart];
            WriteLabel(wire.Slice(labelStart, labelLength + 1));
            literalLabels++;
            labelStart += labelLength + 1;
        }

        if (!pointed)
        {
            WriteByte(0);
        }

        if (useTable && !_overflowed)
        {
            RememberSuffixes(nameStart, literalLabels);
        }
    }

    /// <summary>
    /// Makes the labels just written literally into compression targets. Only once the whole name is written: until
    /// then the octets after a label are not yet this name's, and a repeated label would match stale octets.
    /// </summary>
    private void RememberSuffixes(int nameStart, int literalLabels)
    {
        int position = nameStart;
        for (int i = 0; i < literalLabels && position <= MaxPointerTarget && _compressionCount < _compression.Length; i++)
        {
            _compression[_compressionCount++] = (ushort)position;
            position += _buffer[position] + 1;
        }
    }

    private void WriteLabel(scoped ReadOnlySpan<byte> lengthAndLabel)
    {
        if (!TryReserve(lengthAndLabel.Length, out var span))
        {
            return;
        }

        if (LowercaseNames)
        {
            WireNames.ToLower(lengthAndLabel, span);
        }
        else
        {
            lengthAndLabel.CopyTo(span);
        }
    }

    private readonly bool TryFindSuffix(scoped ReadOnlySpan<byte> suffix, out int target)
    {
        for (int i = 0; i < _compressionCount; i++)
        {
            if (SuffixMatches(_compression[i], suffix))
            {
                target = _compression[i];
                return true;
            }
        }

        target = 0;
        return false;
    }

    /// <summary>Does the name written at <paramref name="offset"/> (pointers followed) equal <paramref name="suffix"/>?</summary>
    private readonly bool SuffixMatches(int offset, scoped ReadOnlySpan<byte> suffix)
    {
        int position = offset;
        int s = 0;
        int hops = 0;
        while (true)
        {
            byte b = _buffer[position];
            if ((b & 0xC0) == 0xC0)
            {
                if (++hops > DnsConstants.MaxPointerHops)
                {
                    return false;
                }

                position = ((b & 0x3F) << 8) | _buffer[position + 1];
                continue;
            }

            if (b != suffix[s])
            {
                return false;
            }

            if (b == 0)
            {
                return true;
            }

            if (!WireNames.EqualsIgnoreCase(_buffer.Slice(position + 1, b), suffix.Slice(s + 1, b)))
            {
                return false;
            }

            position += b + 1;
            s += b + 1;
        }
    }
}
