using System.Buffers.Binary;

namespace Palisade.Protocol;

/// <summary>
/// Reads a DNS message forward from a span, in the manner of <c>Utf8JsonReader</c>: a cursor over the octets, with
/// throwing <c>ReadX</c> methods for the general path and non-throwing <c>TryX</c> ones where the caller must not
/// pay for an exception. Every read is bounds-checked; malformed input gives a <see cref="DnsProtocolException"/>
/// with the offset, never an index error.
/// </summary>
public ref partial struct DnsMessageReader
{
    private readonly ReadOnlySpan<byte> _message;
    private int _position;

    /// <summary>The end of the field being read: the message's end, or the end of the current RDATA.</summary>
    private int _end;

    public DnsMessageReader(ReadOnlySpan<byte> message)
    {
        _message = message;
        _position = 0;
        _end = message.Length;
    }

    /// <summary>The whole message, as given.</summary>
    public readonly ReadOnlySpan<byte> Message => _message;

    /// <summary>The cursor, in octets from the start of the message.</summary>
    public int Position
    {
        readonly get => _position;
        set
        {
            if ((uint)value > (uint)_end)
            {
                throw new ArgumentOutOfRangeException(nameof(value), "Position must lie within the message.");
            }

            _position = value;
        }
    }

    /// <summary>Octets left before the end of the current field (the message, or the RDATA being read).</summary>
    public readonly int Remaining => _end - _position;

    /// <summary>Reads the twelve-octet header.</summary>
    public DnsHeader ReadHeader()
    {
        if (!TryReadHeader(out var header))
        {
            ThrowHelper.ThrowRead(DnsReadError.Truncated, _position, "the header needs 12 octets");
        }

        return header;
    }

    /// <summary>Reads the twelve-octet header; false (and the cursor unmoved) when fewer than twelve octets are left.</summary>
    public bool TryReadHeader(out DnsHeader header)
    {
        if (!DnsHeader.TryRead(_message[_position.._end], out header))
        {
            return false;
        }

        _position += DnsConstants.HeaderSize;
        return true;
    }

    public byte ReadByte()
    {
        if (_position >= _end)
        {
            ThrowHelper.ThrowRead(DnsReadError.Truncated, _position);
        }

        return _message[_position++];
    }

    public ushort ReadUInt16()
    {
        if (_end - _position < 2)
        {
            ThrowHelper.ThrowRead(DnsReadError.Truncated, _position);
        }

        ushort value = BinaryPrimitives.ReadUInt16BigEndian(_message[_position..]);
        _position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        if (_end - _position < 4)
        {
            ThrowHelper.ThrowRead(DnsReadError.Truncated, _position);
        }

        uint value = BinaryPrimitives.ReadUInt32BigEndian(_message[_position..]);
        _position += 4;
        return value;
    }

    /// <summary>Returns the next <paramref name="count"/> octets as a slice of the message (no copy).</summary>
    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || _end - _position < count)
        {
            ThrowHelper.ThrowRead(DnsReadError.Truncated, _position);
        }

        var slice = _message.Slice(_position, count);
        _position += count;
        return slice;
    }

    /// <summary>Returns every octet left in the current field.</summary>
    public ReadOnlySpan<byte> ReadToEnd() => ReadBytes(_end - _position);

    /// <summary>Reads one question entry (RFC 1035 s4.1.2).</summary>
    public DnsQuestion ReadQuestion()
    {
        var name = ReadName();
        var type = (DnsRecordType)ReadUInt16();
        var @class = (DnsClass)ReadUInt16();
        return new DnsQuestion(name, type, @class);
    }

    /// <summary>
    /// Reads one question without allocating: its name, decompressed, goes into <paramref name="nameDestination"/>
    /// (give it 255 octets). This is the hot path of the server: a malformed question is a false, not an exception.
    /// </summary>
    public bool TryReadQuestion(scoped Span<byte> nameDestination, out DnsQuestionInfo question)
    {
        int start = _position;
        if (!TryReadName(nameDestination, out int nameLength, out _) || _end - _position < 4)
        {
            _position = start;
            question = default;
            return false;
        }

        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(_message[_position..]);
        var @class = (DnsClass)BinaryPrimitives.ReadUInt16BigEndian(_message[(_position + 2)..]);
        _position += 4;
        question = new DnsQuestionInfo(start, nameLength, type, @class);
        return true;
    }

    /// <summary>Reads a whole resource record (RFC 1035 s4.1.3), its data typed where this library knows the type.</summary>
    public DnsResourceRecord ReadRecord()
    {
        var name = ReadName();
        var type = (DnsRecordType)ReadUInt16();
        ushort @class = ReadUInt16();
        uint ttl = ReadUInt32();
        var data = ReadRecordData(type, out _);
        return new DnsResourceRecord(name, (DnsClass)@class, ttl, data);
    }

    /// <summary>Moves past one resource record, checking its framing but not its data.</summary>
    public void SkipRecord()
    {
        SkipName();
        if (_end - _position < 10)
        {
            ThrowHelper.ThrowRead(DnsReadError.Truncated, _position);
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(_message[(_position + 8)..]);
        if (_end - _position - 10 < length)
        {
            ThrowHelper.ThrowRead(DnsReadError.BadRecordLength, _position + 8, $"RDLENGTH {length} runs past the end of the message");
        }

        _position += 10 + length;
    }

    /// <summary>Reads RDLENGTH and the data it frames, as the type's record data.</summary>
    /// <param name="type">The record's type.</param>
    /// <param name="dataOffset">Where the data starts.</param>
    public DnsRecordData ReadRecordData(DnsRecordType type, out int dataOffset)
    {
        int lengthOffset = _position;
        int length = ReadUInt16();
        dataOffset = _position;
        if (_end - _position < length)
        {
            ThrowHelper.ThrowRead(DnsReadError.BadRecordLength, lengthOffset, $"RDLENGTH {length} runs past the end of the message");
        }

        int savedEnd = _end;
        _end = _position + length;
        var data = DnsRecordData.Read(ref this, type, length);
        if (_position != _end)
        {
            ThrowHelper.ThrowRead(DnsReadError.BadRecordLength, lengthOffset, $"{type} data is {_position - dataOffset} octets but RDLENGTH says {length}");
        }

        _end = savedEnd;
        return data;
    }
}
