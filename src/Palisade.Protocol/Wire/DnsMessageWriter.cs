using System.Buffers.Binary;

namespace Palisade.Protocol;

/// <summary>
/// Writes a DNS message forward into a caller-owned span, compressing names (RFC 1035 s4.1.4) through a caller-owned
/// table of offsets, so that writing allocates nothing. Running out of room does not throw: the writer stops, and
/// <see cref="HasOverflowed"/> says so; <see cref="Rewind"/> goes back to a record boundary, which is how a UDP
/// answer is cut down to fit and marked truncated.
/// </summary>
public ref partial struct DnsMessageWriter
{
    private readonly Span<byte> _buffer;
    private readonly Span<ushort> _compression;
    private int _compressionCount;
    private int _position;
    private bool _overflowed;

    /// <summary>A writer that does not compress names.</summary>
    public DnsMessageWriter(Span<byte> buffer)
        : this(buffer, default)
    {
    }

    /// <summary>A writer that compresses names, remembering up to <c>compressionTable.Length</c> earlier name suffixes.</summary>
    public DnsMessageWriter(Span<byte> buffer, Span<ushort> compressionTable)
    {
        _buffer = buffer;
        _compression = compressionTable;
        _compressionCount = 0;
        _position = 0;
        _overflowed = false;
    }

    /// <summary>Write every name in ASCII lower case: the canonical form of RFC 4034 s6.2, used for comparing data.</summary>
    public bool LowercaseNames { get; init; }

    /// <summary>Octets written so far.</summary>
    public readonly int Position => _position;

    /// <summary>True once a write did not fit; everything after it was skipped.</summary>
    public readonly bool HasOverflowed => _overflowed;

    /// <summary>The octets written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    /// <summary>
    /// Goes back to <paramref name="position"/>, an earlier record boundary, forgetting what was written after it
    /// (compression targets included) and clearing the overflow.
    /// </summary>
    public void Rewind(int position)
    {
        if ((uint)position > (uint)_position)
        {
            throw new ArgumentOutOfRangeException(nameof(position), "Can only rewind to an earlier position.");
        }

        _position = position;
        _overflowed = false;
        while (_compressionCount > 0 && _compression[_compressionCount - 1] >= position)
        {
            _compressionCount--;
        }
    }

    public void WriteHeader(in DnsHeader header)
    {
        if (TryReserve(DnsConstants.HeaderSize, out var span))
        {
            header.WriteTo(span);
        }
    }

    public void WriteByte(byte value)
    {
        if (TryReserve(1, out var span))
        {
            span[0] = value;
        }
    }

    public void WriteUInt16(ushort value)
    {
        if (TryReserve(2, out var span))
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, value);
        }
    }

    public void WriteUInt32(uint value)
    {
        if (TryReserve(4, out var span))
        {
            BinaryPrimitives.WriteUInt32BigEndian(span, value);
        }
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        if (TryReserve(value.Length, out var span))
        {
            value.CopyTo(span);
        }
    }

    /// <summary>Overwrites a 16-bit field written earlier, such as a count in the header or an RDLENGTH.</summary>
    public readonly void PatchUInt16(int offset, ushort value)
    {
        if (offset < 0 || offset + 2 > _position)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), "Can only patch octets already written.");
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer[offset..], value);
    }

    /// <summary>Writes one question entry (RFC 1035 s4.1.2).</summary>
    public void WriteQuestion(DnsQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        WriteName(question.Name);
        WriteUInt16((ushort)question.Type);
        WriteUInt16((ushort)question.Class);
    }

    /// <summary>Writes one resource record (RFC 1035 s4.1.3), its RDLENGTH filled in after the data.</summary>
    public void WriteRecord(DnsResourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        WriteName(record.Name);
        WriteUInt16((ushort)record.Type);
        WriteUInt16((ushort)record.Class);
        WriteUInt32(record.Ttl);
        WriteRecordData(record.Data);
    }

    /// <summary>Writes RDLENGTH and the record data.</summary>
    public void WriteRecordData(DnsRecordData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int lengthOffset = _position;
        WriteUInt16(0);
        data.WriteTo(ref this);
        if (_overflowed)
        {
            return;
        }

        int length = _position - lengthOffset - 2;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"{data.Type} data of {length} octets does not fit RDLENGTH.");
        }

        PatchUInt16(lengthOffset, (ushort)length);
    }

    private bool TryReserve(int count, out Span<byte> span)
    {
        if (_overflowed || _buffer.Length - _position < count)
        {
            _overflowed = true;
            span = default;
            return false;
        }

        span = _buffer.Slice(_position, count);
        _position += count;
        return true;
    }
}
