using System.Buffers.Binary;
using Palisade.Protocol;

namespace Palisade.Server.Caching;

/// <summary>How long an entry lives, read from the response's TTLs and RCODE (RFC 2308 for negative answers), and the
/// size and time arithmetic behind it.</summary>
public sealed partial class ResponseCache
{
    private static long ArrayBytes(int dataLength) => (24L + dataLength + 7) & ~7L;

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    private static uint ToSeconds(TimeSpan span) =>
        span <= TimeSpan.Zero ? 0 : (uint)Math.Min(span.Ticks / TimeSpan.TicksPerSecond, int.MaxValue);

    /// <summary>A TTL field, the top bit set counting as 0 (RFC 2181 s8).</summary>
    private static uint ReadTtl(ReadOnlySpan<byte> field)
    {
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(field);
        return ttl > int.MaxValue ? 0 : ttl;
    }

    private long ToTicks(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
        {
            return 0;
        }

        double ticks = span.Ticks / (double)TimeSpan.TicksPerSecond * _frequency;
        return ticks >= long.MaxValue / 2 ? long.MaxValue / 2 : (long)ticks;
    }

    private uint Clamp(uint ttl) => Math.Min(Math.Max(ttl, _minTtl), _maxTtl);

    private uint NegativeLifetime(uint negativeTtl) =>
        Math.Min(Clamp(negativeTtl > int.MaxValue ? 0 : negativeTtl), _negativeMaxTtl);

    private int ShardIndex(int hash) => (int)((uint)hash >> 24) & _shardMask;

    /// <summary>
    /// Walks the records once: gathers the TTL offsets (OPT's excepted) and the lowest answer TTL, then decides the
    /// entry's lifetime from the RCODE.
    /// </summary>
    private bool TryGetLifetime(
        ReadOnlySpan<byte> response,
        DnsResponseCode responseCode,
        int answerCount,
        Span<ushort> offsets,
        out int count,
        out uint ttl)
    {
        count = 0;
        ttl = 0;
        if (responseCode is not (DnsResponseCode.NoError or DnsResponseCode.NameError or DnsResponseCode.ServerFailure))
        {
            return false;
        }

        uint minimumAnswerTtl = uint.MaxValue;
        var walker = new DnsRecordWalker(response);
        while (walker.TryNext(out var slot))
        {
            if (slot.Type == DnsRecordType.OPT)
            {
                continue;
            }

            if (count == offsets.Length)
            {
                return false;
            }

            offsets[count++] = (ushort)slot.TtlOffset;
            if (slot.Section == DnsRecordSlot.AnswerSection)
            {
                minimumAnswerTtl = Math.Min(minimumAnswerTtl, ReadTtl(response[slot.TtlOffset..]));
            }
        }

        if (walker.Error != DnsReadError.None)
        {
            return false;
        }

        uint negativeTtl;
        switch (responseCode)
        {
            case DnsResponseCode.ServerFailure:
                ttl = Math.Min(ServerFailureTtl, _maxTtl);
                return true;

            case DnsResponseCode.NoError when answerCount > 0:
                ttl = Clamp(minimumAnswerTtl);
                if (DnsMessageInspector.TryGetNegativeTtl(response, out negativeTtl))
                {
                    ttl = Math.Min(ttl, NegativeLifetime(negativeTtl));
                }

                return true;

            default:
                if (!DnsMessageInspector.TryGetNegativeTtl(response, out negativeTtl))
                {
                    return false;
                }

                ttl = NegativeLifetime(negativeTtl);
                return true;
        }
    }
}
