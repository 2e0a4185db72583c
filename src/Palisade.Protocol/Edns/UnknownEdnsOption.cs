namespace Palisade.Protocol;

/// <summary>An EDNS option this library does not type, kept as it came.</summary>
public sealed class UnknownEdnsOption : EdnsOption
{
    private readonly byte[] _data;

    public UnknownEdnsOption(EdnsOptionCode code, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, ushort.MaxValue);
        Code = code;
        _data = data.ToArray();
    }

    public override EdnsOptionCode Code { get; }

    public ReadOnlySpan<byte> Data => _data;

    public override int DataLength => _data.Length;

    public override string ToString() => $"OPT{(ushort)Code}: {Convert.ToHexString(_data)}";

    internal override void WriteData(Span<byte> destination) => _data.CopyTo(destination);
}
