namespace Palisade.Protocol;

/// <summary>Padding (RFC 7830): zero octets that hide a message's true length on encrypted transports.</summary>
public sealed class PaddingOption : EdnsOption
{
    public PaddingOption(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, ushort.MaxValue);
        Length = length;
    }

    /// <summary>Octets of padding. Their content is ignored on receipt (RFC 7830 s3) and written as zeros.</summary>
    public int Length { get; }

    public override EdnsOptionCode Code => EdnsOptionCode.Padding;

    public override int DataLength => Length;

    public override string ToString() => $"PADDING: {Length} octets";

    internal override void WriteData(Span<byte> destination) => destination[..Length].Clear();
}
