using System.Text;

namespace Palisade.Protocol;

/// <summary>
/// Record data kept whole, as octets: every type this library does not type, and the DNSSEC types (DS, DNSKEY,
/// RRSIG, NSEC, NSEC3) that a forwarder passes along unchanged. Presented as RFC 3597 s5: <c>\# 4 0A000001</c>.
/// </summary>
public sealed class UnknownRecordData : DnsRecordData
{
    private readonly byte[] _data;

    public UnknownRecordData(DnsRecordType type, ReadOnlySpan<byte> data)
    {
        if (data.Length > ushort.MaxValue)
        {
            throw new ArgumentException("Record data holds at most 65535 octets.", nameof(data));
        }

        Type = type;
        _data = data.ToArray();
    }

    public override DnsRecordType Type { get; }

    /// <summary>The RDATA octets.</summary>
    public ReadOnlySpan<byte> Data => _data;

    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(@"\# ").Append(_data.Length);
        if (_data.Length > 0)
        {
            builder.Append(' ').Append(Convert.ToHexString(_data));
        }

        return builder.ToString();
    }

    internal override void WriteTo(ref DnsMessageWriter writer) => writer.WriteBytes(_data);
}
