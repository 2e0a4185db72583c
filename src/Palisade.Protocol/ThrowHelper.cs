using System.Diagnostics.CodeAnalysis;

namespace Palisade.Protocol;

/// <summary>Keeps throw sites out of the hot methods so that they stay small enough to inline.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowRead(DnsReadError error, int offset) =>
        throw new DnsProtocolException(error, offset, Describe(error));

    [DoesNotReturn]
    public static void ThrowRead(DnsReadError error, int offset, string detail) =>
        throw new DnsProtocolException(error, offset, $"{Describe(error)}: {detail}");

    [DoesNotReturn]
    public static T ThrowRead<T>(DnsReadError error, int offset, string detail) =>
        throw new DnsProtocolException(error, offset, $"{Describe(error)}: {detail}");

    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    public static string Describe(DnsReadError error) => error switch
    {
        DnsReadError.None => "No error",
        DnsReadError.Truncated => "The message ends in the middle of a field",
        DnsReadError.BadLabel => "Bad label length or label type",
        DnsReadError.NameTooLong => "Name longer than 255 octets",
        DnsReadError.BadPointer => "Compression pointer does not point to an earlier name",
        DnsReadError.PointerChainTooLong => "Too many compression pointers in one name",
        DnsReadError.BadRecordLength => "RDLENGTH does not match the record data",
        DnsReadError.BadRecordData => "Invalid record data",
        DnsReadError.BadEdnsOption => "Invalid EDNS option",
        DnsReadError.BadOpt => "Invalid OPT record placement",
        DnsReadError.TrailingData => "Data after the last record",
        _ => error.ToString(),
    };
}
