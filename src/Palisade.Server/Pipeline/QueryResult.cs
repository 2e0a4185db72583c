using System.Buffers;
using Palisade.Protocol;

namespace Palisade.Server.Pipeline;

/// <summary>
/// What a handler returns: a response to send (in a buffer rented from the shared pool, which the listener returns
/// after sending), or nothing at all (drop). Responses travel without an OPT record: the listener adds the client's
/// OPT (RFC 6891 s7), with <see cref="ExtendedError"/> when there is one, and cuts UDP answers down to fit.
/// </summary>
public readonly struct QueryResult
{
    private QueryResult(byte[]? buffer, int length, AnswerSource source, ExtendedDnsErrorCode? extendedError, byte responseCodeHigh)
    {
        Buffer = buffer;
        Length = length;
        Source = source;
        ExtendedError = extendedError;
        ResponseCodeHigh = responseCodeHigh;
    }

    /// <summary>The response octets are <c>Buffer[..Length]</c>; null when the query is dropped.</summary>
    public byte[]? Buffer { get; }

    public int Length { get; }

    public AnswerSource Source { get; }

    /// <summary>An Extended DNS Error (RFC 8914) to attach for EDNS clients.</summary>
    public ExtendedDnsErrorCode? ExtendedError { get; }

    /// <summary>The RCODE's high eight bits, carried in the OPT record (RFC 6891 s6.1.3): 1 for BADVERS.</summary>
    public byte ResponseCodeHigh { get; }

    public bool IsDrop => Buffer is null;

    public ReadOnlySpan<byte> Response => Buffer.AsSpan(0, Length);

    /// <summary>Nothing is sent back.</summary>
    public static QueryResult Drop => default;

    /// <summary>A response in a buffer from <see cref="ArrayPool{T}.Shared"/>; ownership passes to the result.</summary>
    public static QueryResult FromPooled(byte[] buffer, int length, AnswerSource source, ExtendedDnsErrorCode? extendedError = null) =>
        new(buffer, length, source, extendedError, 0);

    /// <summary>The same response with the RCODE's high bits set (they go into the client's OPT record).</summary>
    public QueryResult WithResponseCodeHigh(byte high) => new(Buffer, Length, Source, ExtendedError, high);

    /// <summary>The response code in the header.</summary>
    public DnsResponseCode ResponseCode => Buffer is null ? DnsResponseCode.NoError : (DnsResponseCode)(Buffer[3] & 0xF);

    /// <summary>Gives the buffer back to the pool; call once, after sending.</summary>
    public void Release()
    {
        if (Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
