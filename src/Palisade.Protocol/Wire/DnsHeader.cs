using System.Buffers.Binary;

namespace Palisade.Protocol;

/// <summary>
/// The twelve-octet message header (RFC 1035 s4.1.1; AD and CD from RFC 4035 s3.2). A plain value: reading and
/// writing it allocates nothing.
/// </summary>
public struct DnsHeader : IEquatable<DnsHeader>
{
    private const ushort QrBit = 0x8000;
    private const ushort AaBit = 0x0400;
    private const ushort TcBit = 0x0200;
    private const ushort RdBit = 0x0100;
    private const ushort RaBit = 0x0080;
    private const ushort ZBit = 0x0040;
    private const ushort AdBit = 0x0020;
    private const ushort CdBit = 0x0010;

    public ushort Id { get; set; }

    /// <summary>The whole second 16-bit word: QR, OPCODE, AA, TC, RD, RA, Z, AD, CD and the low four RCODE bits.</summary>
    public ushort Flags { get; set; }

    public ushort QuestionCount { get; set; }

    public ushort AnswerCount { get; set; }

    public ushort AuthorityCount { get; set; }

    public ushort AdditionalCount { get; set; }

    public bool IsResponse { readonly get => Get(QrBit); set => Set(QrBit, value); }

    public DnsOpcode Opcode
    {
        readonly get => (DnsOpcode)((Flags >> 11) & 0xF);
        set => Flags = (ushort)((Flags & ~0x7800) | (((int)value & 0xF) << 11));
    }

    public bool AuthoritativeAnswer { readonly get => Get(AaBit); set => Set(AaBit, value); }

    public bool Truncated { readonly get => Get(TcBit); set => Set(TcBit, value); }

    public bool RecursionDesired { readonly get => Get(RdBit); set => Set(RdBit, value); }

    public bool RecursionAvailable { readonly get => Get(RaBit); set => Set(RaBit, value); }

    /// <summary>The reserved Z bit; must be zero but is kept as received.</summary>
    public bool Reserved { readonly get => Get(ZBit); set => Set(ZBit, value); }

    public bool AuthenticData { readonly get => Get(AdBit); set => Set(AdBit, value); }

    public bool CheckingDisabled { readonly get => Get(CdBit); set => Set(CdBit, value); }

    /// <summary>The low four bits of the RCODE; see <see cref="DnsMessage.ResponseCode"/> for the full value.</summary>
    public byte ResponseCodeLow
    {
        readonly get => (byte)(Flags & 0xF);
        set => Flags = (ushort)((Flags & ~0xF) | (value & 0xF));
    }

    /// <summary>Reads a header from the first twelve octets of <paramref name="message"/>.</summary>
    /// <returns>false when the message is shorter than a header.</returns>
    public static bool TryRead(ReadOnlySpan<byte> message, out DnsHeader header)
    {
        if (message.Length < DnsConstants.HeaderSize)
        {
            header = default;
            return false;
        }

        header = new DnsHeader
        {
            Id = BinaryPrimitives.ReadUInt16BigEndian(message),
            Flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]),
            QuestionCount = BinaryPrimitives.ReadUInt16BigEndian(message[4..]),
            AnswerCount = BinaryPrimitives.ReadUInt16BigEndian(message[6..]),
            AuthorityCount = BinaryPrimitives.ReadUInt16BigEndian(message[8..]),
            AdditionalCount = BinaryPrimitives.ReadUInt16BigEndian(message[10..]),
        };
        return true;
    }

    /// <summary>Writes the header into the first twelve octets of <paramref name="destination"/>.</summary>
    public readonly void WriteTo(Span<byte> destination)
    {
        if (destination.Length < DnsConstants.HeaderSize)
        {
            ThrowHelper.ThrowArgument(nameof(destination), "A DNS header needs 12 octets.");
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, Id);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Flags);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], QuestionCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], AnswerCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], AuthorityCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], AdditionalCount);
    }

    public readonly bool Equals(DnsHeader other) =>
        Id == other.Id && Flags == other.Flags && QuestionCount == other.QuestionCount &&
        AnswerCount == other.AnswerCount && AuthorityCount == other.AuthorityCount &&
        AdditionalCount == other.AdditionalCount;

    public override readonly bool Equals(object? obj) => obj is DnsHeader other && Equals(other);

    public override readonly int GetHashCode() =>
        HashCode.Combine(Id, Flags, QuestionCount, AnswerCount, AuthorityCount, AdditionalCount);

    public static bool operator ==(DnsHeader left, DnsHeader right) => left.Equals(right);

    public static bool operator !=(DnsHeader left, DnsHeader right) => !left.Equals(right);

    private readonly bool Get(ushort bit) => (Flags & bit) != 0;

    private void Set(ushort bit, bool value) => Flags = value ? (ushort)(Flags | bit) : (ushort)(Flags & ~bit);
}
