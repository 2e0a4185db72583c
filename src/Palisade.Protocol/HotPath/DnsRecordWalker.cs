using System.Buffers.Binary;

namespace Palisade.Protocol;

/// <summary>Where one record's fields sit in a message, as found by <see cref="DnsRecordWalker"/>.</summary>
/// <param name="Section">0 answer, 1 authority, 2 additional.</param>
/// <param name="NameOffset">Start of the owner name.</param>
/// <param name="Type">The record type.</param>
/// <param name="TtlOffset">Start of the 32-bit TTL field.</param>
/// <param name="DataOffset">Start of RDATA.</param>
/// <param name="DataLength">RDLENGTH.</param>
public readonly record struct DnsRecordSlot(int Section, int NameOffset, DnsRecordType Type, int TtlOffset, int DataOffset, int DataLength)
{
    public const int AnswerSection = 0;
    public const int AuthoritySection = 1;
    public const int AdditionalSection = 2;
}

/// <summary>
/// Walks the records of a message without allocating or decoding their data: the framing is checked (names,
/// pointers, RDLENGTH) and each record's slot is returned. A malformed message ends the walk with
/// <see cref="Error"/> set; nothing throws.
/// </summary>
public ref struct DnsRecordWalker
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly int _answers;
    private readonly int _authorities;
    private readonly int _total;
    private int _index;
    private int _position;

    /// <summary>Starts after the header and the question section.</summary>
    public DnsRecordWalker(ReadOnlySpan<byte> message)
    {
        _message = message;
        _index = 0;
        Error = DnsReadError.None;
        if (!DnsHeader.TryRead(message, out var header))
        {
            Error = DnsReadError.Truncated;
            _answers = _authorities = _total = 0;
            _position = message.Length;
            return;
        }

        _answers = header.AnswerCount;
        _authorities = header.AuthorityCount;
        _total = header.AnswerCount + header.AuthorityCount + header.AdditionalCount;
        _position = DnsConstants.HeaderSize;
        for (int i = 0; i < header.QuestionCount; i++)
        {
            var error = DnsNameCodec.TryDecode(message, _position, message.Length, default, out _, out int next, out _);
            if (error != DnsReadError.None || message.Length - next < 4)
            {
                Error = error == DnsReadError.None ? DnsReadError.Truncated : error;
                _index = _total;
                return;
            }

            _position = next + 4;
        }
    }

    /// <summary>Why the walk stopped early, or <see cref="DnsReadError.None"/>.</summary>
    public DnsReadError Error { get; private set; }

    /// <summary>Where the walk stands: after the last record once it is done.</summary>
    public readonly int Position => _position;

    /// <summary>Moves to the next record.</summary>
    /// <returns>false at the end of the message or when it is malformed (see <see cref="Error"/>).</returns>
    public bool TryNext(out DnsRecordSlot slot)
    {
        slot = default;
        if (_index >= _total || Error != DnsReadError.None)
        {
            return false;
        }

        int nameOffset = _position;
        var error = DnsNameCodec.TryDecode(_message, _position, _message.Length, default, out _, out int next, out _);
        if (error != DnsReadError.None || _message.Length - next < 10)
        {
            Error = error == DnsReadError.None ? DnsReadError.Truncated : error;
            return false;
        }

        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(_message[next..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(_message[(next + 8)..]);
        int dataOffset = next + 10;
        if (_message.Length - dataOffset < length)
        {
            Error = DnsReadError.BadRecordLength;
            return false;
        }

        int section = _index < _answers ? DnsRecordSlot.AnswerSection
            : _index < _answers + _authorities ? DnsRecordSlot.AuthoritySection
            : DnsRecordSlot.AdditionalSection;
        slot = new DnsRecordSlot(section, nameOffset, type, next + 4, dataOffset, length);
        _position = dataOffset + length;
        _index++;
        return true;
    }
}
