using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Palisade.Protocol;

/// <summary>One SvcParam of an SVCB or HTTPS record (RFC 9460 s2.2): a key and its wire-format value.</summary>
public sealed class SvcParam : IEquatable<SvcParam>
{
    private readonly byte[] _value;

    public SvcParam(SvcParamKey key, ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException("A SvcParam value holds at most 65535 octets.", nameof(value));
        }

        string? problem = Validate(key, value);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(value));
        }

        Key = key;
        _value = value.ToArray();
    }

    public SvcParamKey Key { get; }

    /// <summary>The value in wire format.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>The IP addresses of an ipv4hint or ipv6hint parameter; empty for other keys.</summary>
    public IReadOnlyList<IPAddress> GetAddressHints()
    {
        int size = Key switch
        {
            SvcParamKey.Ipv4Hint => 4,
            SvcParamKey.Ipv6Hint => 16,
            _ => 0,
        };
        if (size == 0)
        {
            return [];
        }

        var addresses = new List<IPAddress>(_value.Length / size);
        for (int i = 0; i < _value.Length; i += size)
        {
            addresses.Add(new IPAddress(_value.AsSpan(i, size)));
        }

        return addresses;
    }

    /// <summary>The parameter in presentation format, as dnspython and RFC 9460 s2.1 write it: <c>alpn="h2,h3"</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(FormatKey(Key));
        switch (Key)
        {
            case SvcParamKey.NoDefaultAlpn when _value.Length == 0:
                return builder.ToString();
            case SvcParamKey.Mandatory:
                builder.Append("=\"");
                for (int i = 0; i < _value.Length; i += 2)
                {
                    builder.Append(i > 0 ? "," : string.Empty)
                        .Append(FormatKey((SvcParamKey)BinaryPrimitives.ReadUInt16BigEndian(_value.AsSpan(i))));
                }

                return builder.Append('"').ToString();
            case SvcParamKey.Alpn:
                builder.Append("=\"");
                for (int i = 0; i < _value.Length; i += 1 + _value[i])
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    DnsPresentation.AppendEscaped(builder, _value.AsSpan(i + 1, _value[i]));
                }

                return builder.Append('"').ToString();
            case SvcParamKey.Port:
                return builder.Append("=\"").Append(BinaryPrimitives.ReadUInt16BigEndian(_value)).Append('"').ToString();
            case SvcParamKey.Ipv4Hint or SvcParamKey.Ipv6Hint:
                return builder.Append("=\"").AppendJoin(',', GetAddressHints()).Append('"').ToString();
            case SvcParamKey.Ech:
                return builder.Append("=\"").Append(Convert.ToBase64String(_value)).Append('"').ToString();
            default:
                builder.Append('=');
                DnsPresentation.AppendQuoted(builder, _value);
                return builder.ToString();
        }
    }

    public bool Equals(SvcParam? other) => other is not null && Key == other.Key && _value.AsSpan().SequenceEqual(other._value);

    public override bool Equals(object? obj) => Equals(obj as SvcParam);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Key);
        hash.AddBytes(_value);
        return hash.ToHashCode();
    }

    /// <summary>RFC 9460 s7 and s8: the wire form each known key's value must have; null when it is well formed.</summary>
    internal static string? Validate(SvcParamKey key, ReadOnlySpan<byte> value)
    {
        switch (key)
        {
            case SvcParamKey.Mandatory when value.IsEmpty || value.Length % 2 != 0:
                return "mandatory holds a non-empty list of 16-bit keys";
            case SvcParamKey.Alpn:
                if (value.IsEmpty)
                {
                    return "alpn holds at least one protocol id";
                }

                for (int i = 0; i < value.Length; i += 1 + value[i])
                {
                    if (value[i] == 0 || i + 1 + value[i] > value.Length)
                    {
                        return "alpn protocol ids are 1 to 255 octets each, with their length";
                    }
                }

                return null;
            case SvcParamKey.NoDefaultAlpn when !value.IsEmpty:
                return "no-default-alpn has no value";
            case SvcParamKey.Port when value.Length != 2:
                return "port is a 16-bit number";
            case SvcParamKey.Ipv4Hint when value.IsEmpty || value.Length % 4 != 0:
                return "ipv4hint holds one or more IPv4 addresses";
            case SvcParamKey.Ipv6Hint when value.IsEmpty || value.Length % 16 != 0:
                return "ipv6hint holds one or more IPv6 addresses";
            default:
                return null;
        }
    }

    private static string FormatKey(SvcParamKey key) => key switch
    {
        SvcParamKey.Mandatory => "mandatory",
        SvcParamKey.Alpn => "alpn",
        SvcParamKey.NoDefaultAlpn => "no-default-alpn",
        SvcParamKey.Port => "port",
        SvcParamKey.Ipv4Hint => "ipv4hint",
        SvcParamKey.Ech => "ech",
        SvcParamKey.Ipv6Hint => "ipv6hint",
        _ => $"key{(ushort)key}",
    };
}
