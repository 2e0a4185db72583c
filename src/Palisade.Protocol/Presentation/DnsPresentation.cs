using System.Buffers;
using System.Text;

namespace Palisade.Protocol;

/// <summary>Pieces of the presentation (text) format shared by records and messages (RFC 1035 s5.1, RFC 3597 s5).</summary>
public static class DnsPresentation
{
    internal static readonly SearchValues<byte> AlphaNumericBytes =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>The mnemonic of a type, or <c>TYPEnnn</c> for one without a name (RFC 3597 s5).</summary>
    public static string FormatType(DnsRecordType type) =>
        Enum.IsDefined(type) ? type.ToString() : $"TYPE{(ushort)type}";

    /// <summary>The mnemonic of a class, or <c>CLASSnnn</c> for one without a name (RFC 3597 s5).</summary>
    public static string FormatClass(DnsClass @class) => @class switch
    {
        DnsClass.IN => "IN",
        DnsClass.CH => "CH",
        DnsClass.HS => "HS",
        DnsClass.None => "NONE",
        DnsClass.Any => "ANY",
        _ => $"CLASS{(ushort)@class}",
    };

    /// <summary>The mnemonic of an RCODE as dig prints it (<c>NXDOMAIN</c>), or <c>RCODEnnn</c>.</summary>
    public static string FormatResponseCode(DnsResponseCode code) => code switch
    {
        DnsResponseCode.NoError => "NOERROR",
        DnsResponseCode.FormatError => "FORMERR",
        DnsResponseCode.ServerFailure => "SERVFAIL",
        DnsResponseCode.NameError => "NXDOMAIN",
        DnsResponseCode.NotImplemented => "NOTIMP",
        DnsResponseCode.Refused => "REFUSED",
        DnsResponseCode.YxDomain => "YXDOMAIN",
        DnsResponseCode.YxRRSet => "YXRRSET",
        DnsResponseCode.NxRRSet => "NXRRSET",
        DnsResponseCode.NotAuth => "NOTAUTH",
        DnsResponseCode.NotZone => "NOTZONE",
        DnsResponseCode.BadVersion => "BADVERS",
        DnsResponseCode.BadCookie => "BADCOOKIE",
        _ => $"RCODE{(ushort)code}",
    };

    /// <summary>The mnemonic of an opcode as dig prints it.</summary>
    public static string FormatOpcode(DnsOpcode opcode) => opcode switch
    {
        DnsOpcode.Query => "QUERY",
        DnsOpcode.InverseQuery => "IQUERY",
        DnsOpcode.Status => "STATUS",
        DnsOpcode.Notify => "NOTIFY",
        DnsOpcode.Update => "UPDATE",
        DnsOpcode.StatefulOperations => "DSO",
        _ => $"OPCODE{(byte)opcode}",
    };

    /// <summary>
    /// A character-string in double quotes: <c>"</c> and <c>\</c> escaped with a backslash, octets outside printable
    /// ASCII as <c>\DDD</c>; spaces stay as they are (the quotes hold them).
    /// </summary>
    public static void AppendQuoted(StringBuilder builder, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append('"');
        AppendEscaped(builder, value);
        builder.Append('"');
    }

    /// <summary>The inside of a quoted character-string (see <see cref="AppendQuoted"/>).</summary>
    public static void AppendEscaped(StringBuilder builder, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (byte b in value)
        {
            switch (b)
            {
                case (byte)'"' or (byte)'\\':
                    builder.Append('\\').Append((char)b);
                    break;
                case >= 0x20 and < 0x7F:
                    builder.Append((char)b);
                    break;
                default:
                    builder.Append('\\').Append((char)('0' + (b / 100))).Append((char)('0' + (b / 10 % 10))).Append((char)('0' + (b % 10)));
                    break;
            }
        }
    }
}
