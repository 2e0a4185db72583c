using System.Buffers.Binary;
using System.Text;

namespace Palisade.Protocol;

/// <summary>Extended DNS Error (RFC 8914): why an answer is what it is (blocked, stale, ...), with optional text.</summary>
public sealed class ExtendedDnsErrorOption : EdnsOption
{
    private readonly byte[] _text;

    public ExtendedDnsErrorOption(ExtendedDnsErrorCode infoCode, string? extraText = null)
    {
        InfoCode = infoCode;
        ExtraText = string.IsNullOrEmpty(extraText) ? null : extraText;
        _text = ExtraText is null ? [] : Encoding.UTF8.GetBytes(ExtraText);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_text.Length, ushort.MaxValue - 2, nameof(extraText));
    }

    /// <summary>As received: the text's octets are kept exactly, even when they are not valid UTF-8.</summary>
    private ExtendedDnsErrorOption(ExtendedDnsErrorCode infoCode, ReadOnlySpan<byte> text)
    {
        InfoCode = infoCode;
        _text = text.ToArray();
        ExtraText = text.IsEmpty ? null : Encoding.UTF8.GetString(text);
    }

    public ExtendedDnsErrorCode InfoCode { get; }

    /// <summary>UTF-8 text for people (RFC 8914 s2), or null.</summary>
    public string? ExtraText { get; }

    public override EdnsOptionCode Code => EdnsOptionCode.ExtendedDnsError;

    public override int DataLength => 2 + _text.Length;

    public override string ToString() =>
        ExtraText is null ? $"EDE: {(ushort)InfoCode} ({InfoCode})" : $"EDE: {(ushort)InfoCode} ({InfoCode}): ({ExtraText})";

    internal static ExtendedDnsErrorOption Read(ReadOnlySpan<byte> data, int offset)
    {
        if (data.Length < 2)
        {
            ThrowHelper.ThrowRead(DnsReadError.BadEdnsOption, offset, "an Extended DNS Error needs a 2-octet INFO-CODE");
        }

        var code = (ExtendedDnsErrorCode)BinaryPrimitives.ReadUInt16BigEndian(data);
        var text = data[2..];

        // RFC 8914 s2: the text is not NUL-terminated, but some senders add one anyway.
        if (!text.IsEmpty && text[^1] == 0)
        {
            text = text[..^1];
        }

        return new ExtendedDnsErrorOption(code, text);
    }

    internal override void WriteData(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)InfoCode);
        _text.CopyTo(destination[2..]);
    }
}
