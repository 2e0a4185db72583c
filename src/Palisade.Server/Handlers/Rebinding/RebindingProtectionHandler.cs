using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Logging;
using Palisade.Protocol;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Handlers.Rebinding;

/// <summary>
/// DNS rebinding protection (<c>security.rebindingProtection</c>): an answer from upstream whose answer section points
/// at a private, loopback, link-local or unspecified address (<see cref="PrivateAddresses"/>), in an A or AAAA record or
/// in the ipv4hint or ipv6hint of an SVCB or HTTPS record (RFC 9460 s7.3), is not passed on: a web page could otherwise
/// reach the devices of the home network through a name of its own. As dnsmasq's <c>--stop-dns-rebind</c> does, the
/// client gets the question back with no records (NOERROR, so the name is not denied for every type as NXDOMAIN would),
/// with Extended DNS Error 15 (Blocked); one debug line is logged, and the answer is counted for the once-a-minute
/// summary at info (<see cref="RebindingSummary"/>). Names under <c>security.rebindingAllow</c> are exempt; it is the
/// question's name that is checked, not a CNAME target, since a name anyone owns can point at an allowed one. The walk
/// over an ordinary answer allocates nothing.
/// </summary>
public sealed partial class RebindingProtectionHandler : IQueryHandler
{
    private readonly RebindingAllowList _allow;
    private readonly RebindingSummary? _summary;
    private readonly ILogger<RebindingProtectionHandler> _logger;
    private readonly IQueryHandler _next;

    /// <summary>Without a summary in the log: for benchmarks, fuzzing and tests.</summary>
    public RebindingProtectionHandler(RebindingAllowList allow, ILogger<RebindingProtectionHandler> logger, IQueryHandler next)
        : this(allow, summary: null, logger, next)
    {
    }

    public RebindingProtectionHandler(RebindingAllowList allow, RebindingSummary? summary, ILogger<RebindingProtectionHandler> logger, IQueryHandler next)
    {
        _allow = allow;
        _summary = summary;
        _logger = logger;
        _next = next;
    }

    public ValueTask<QueryResult> HandleAsync(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pending = _next.HandleAsync(context);
        return pending.IsCompletedSuccessfully ? ValueTask.FromResult(Inspect(context, pending.Result)) : InspectAsync(context, pending);
    }

    /// <summary>
    /// Finds the first private address in the answer section of <paramref name="message"/>: its offset and length (4 or
    /// 16). A malformed message or SVCB record ends the search where it breaks.
    /// </summary>
    public static bool TryFindPrivateAddress(ReadOnlySpan<byte> message, out int offset, out int length)
    {
        offset = length = 0;

        // Most answers are looked at in the header only: an error, a negative answer, or nothing in the answer section.
        if (message.Length < DnsConstants.HeaderSize || (message[3] & 0xF) != (int)DnsResponseCode.NoError ||
            BinaryPrimitives.ReadUInt16BigEndian(message[6..]) == 0)
        {
            return false;
        }

        var walker = new DnsRecordWalker(message);
        while (walker.TryNext(out var slot) && slot.Section == DnsRecordSlot.AnswerSection)
        {
            var data = message.Slice(slot.DataOffset, slot.DataLength);
            bool found = slot.Type switch
            {
                DnsRecordType.A => PrivateAddresses.IsPrivateIPv4(data) && Found(slot.DataOffset, 4, out offset, out length),
                DnsRecordType.AAAA => PrivateAddresses.IsPrivateIPv6(data) && Found(slot.DataOffset, 16, out offset, out length),
                DnsRecordType.SVCB or DnsRecordType.HTTPS => TryFindPrivateHint(data, out int at, out length) && Found(slot.DataOffset + at, length, out offset, out length),
                _ => false,
            };
            if (found)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Looks through the ipv4hint and ipv6hint parameters of SVCB or HTTPS RDATA (RFC 9460 s2.2: priority, an
    /// uncompressed target name, then key-length-value parameters) for a private address; its offset within the RDATA.
    /// </summary>
    private static bool TryFindPrivateHint(ReadOnlySpan<byte> data, out int offset, out int length)
    {
        offset = length = 0;
        int at = 2;
        while (at < data.Length && data[at] != 0)
        {
            if ((data[at] & 0xC0) != 0)
            {
                return false;
            }

            at += data[at] + 1;
        }

        // Past the root label that ends the target name: the parameters, each at least a key and a length.
        for (at++; data.Length - at >= 4;)
        {
            var key = (SvcParamKey)BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
            int value = at + 4;
            if (data.Length - value < valueLength)
            {
                return false;
            }

            int size = key switch
            {
                SvcParamKey.Ipv4Hint => 4,
                SvcParamKey.Ipv6Hint => 16,
                _ => 0,
            };
            for (int address = value; size > 0 && address + size <= value + valueLength; address += size)
            {
                var octets = data.Slice(address, size);
                if (size == 4 ? PrivateAddresses.IsPrivateIPv4(octets) : PrivateAddresses.IsPrivateIPv6(octets))
                {
                    offset = address;
                    length = size;
                    return true;
                }
            }

            at = value + valueLength;
        }

        return false;
    }

    private static bool Found(int at, int size, out int offset, out int length)
    {
        offset = at;
        length = size;
        return true;
    }

    private async ValueTask<QueryResult> InspectAsync(QueryContext context, ValueTask<QueryResult> pending) =>
        Inspect(context, await pending.ConfigureAwait(false));

    private QueryResult Inspect(QueryContext context, QueryResult result)
    {
        if (result.IsDrop ||
            result.Source is not (AnswerSource.Upstream or AnswerSource.Cache or AnswerSource.Stale) ||
            !TryFindPrivateAddress(result.Response, out int offset, out int length) ||
            _allow.Contains(context.QuestionName))
        {
            return result;
        }

        _summary?.Record(context.QuestionName, result.Response.Slice(offset, length));
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var address = new IPAddress(result.Response.Slice(offset, length));
            var name = DnsName.FromWire(context.QuestionName);
            LogBlocked(_logger, name, context.Question.Type, address, context.Client);
        }

        result.Release();

        // NODATA made from the client's own query: its question, no records, and no SOA, so that it is not cached.
        var empty = ErrorResponses.Create(context, DnsResponseCode.NoError);
        return QueryResult.FromPooled(empty.Buffer!, empty.Length, AnswerSource.Blocked, ExtendedDnsErrorCode.Blocked);
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Debug, Message = "Rebinding protection: the answer for {Name} {Type} (asked by {Client}) points at the private address {Address}; answered with no records")]
    private static partial void LogBlocked(ILogger logger, DnsName name, DnsRecordType type, IPAddress address, IPEndPoint client);
}
