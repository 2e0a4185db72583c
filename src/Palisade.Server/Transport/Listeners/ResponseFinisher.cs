using System.Buffers;
using Palisade.Protocol;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Transport.Listeners;

/// <summary>
/// The last touch before a response leaves: the client's own OPT record when it sent one (RFC 6891 s7: never when it
/// did not), carrying DO, the RCODE's high bits and any Extended DNS Error; and, over UDP, a cut to the client's size
/// with TC set when the whole answer does not fit (RFC 1035 s4.2.1, RFC 6891 s6.2.5), so that it asks again over TCP;
/// and, over TLS and HTTPS, padding to a multiple of 468 octets (RFC 8467 s4.1), so that the size of an encrypted answer
/// says little about the name.
/// </summary>
internal static class ResponseFinisher
{
    /// <summary>Responses on encrypted transports are padded to a multiple of this (RFC 8467 s4.1).</summary>
    public const int ResponsePaddingBlock = 468;

    /// <summary>Finishes <paramref name="result"/> in place (its buffer may be replaced by a larger one).</summary>
    /// <returns>The octets to send, or empty when the response cannot be made (it is then dropped).</returns>
    public static ReadOnlyMemory<byte> Finish(QueryContext context, ref QueryResult result)
    {
        byte[] buffer = result.Buffer!;
        int length = result.Length;
        int optLength = context.HasEdns ? DnsOptEditor.EmptyOptLength + (result.ExtendedError is null ? 0 : 6) : 0;
        bool pad = optLength > 0 && context.Transport is DnsTransport.Tls or DnsTransport.Https;
        int room = optLength + (pad ? 4 + ResponsePaddingBlock : 0);

        if (context.Transport == DnsTransport.Udp && length + optLength > context.MaxUdpResponseSize &&
            !DnsOptEditor.TryTruncate(buffer, ref length))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (optLength > 0)
        {
            if (buffer.Length - length < room)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent(length + room);
                buffer.AsSpan(0, length).CopyTo(larger);
                result.Release();
                result = QueryResult.FromPooled(larger, length, result.Source, result.ExtendedError).WithResponseCodeHigh(result.ResponseCodeHigh);
                buffer = larger;
            }

            var code = (DnsResponseCode)((result.ResponseCodeHigh << 4) | (buffer[3] & 0xF));
            DnsOptEditor.TryAppendOpt(buffer, ref length, DnsConstants.AdvertisedUdpPayloadSize, context.DnssecOk, code, result.ExtendedError);
            if (pad && length + 4 + ResponsePaddingBlock <= ushort.MaxValue)
            {
                DnsOptEditor.TryPad(buffer, ref length, ResponsePaddingBlock);
            }
        }

        return buffer.AsMemory(0, length);
    }
}
