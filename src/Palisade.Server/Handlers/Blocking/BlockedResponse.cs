using System.Buffers;
using System.Net;
using Palisade.Protocol;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Handlers.Blocking;

/// <summary>How a blocked name is answered (<c>blocking.response</c> and <c>blocking.blockedTtl</c>).</summary>
/// <param name="Mode">The kind of answer.</param>
/// <param name="IPv4">The address for A queries (0.0.0.0 in null-IP mode; null for NODATA).</param>
/// <param name="IPv6">The address for AAAA queries (:: in null-IP mode; null for NODATA).</param>
/// <param name="Ttl">The TTL of the answer, and the negative TTL of the NXDOMAIN's SOA.</param>
public sealed record BlockedResponse(BlockedResponseMode Mode, IPAddress? IPv4, IPAddress? IPv6, uint Ttl)
{
    private static readonly DnsName SoaPrimary = DnsName.Parse("palisade.invalid");
    private static readonly DnsName SoaMailbox = DnsName.Parse("blocked.palisade.invalid");

    /// <summary>The default: A → 0.0.0.0, AAAA → ::, other types NOERROR with no answer, TTL 10 s.</summary>
    public static BlockedResponse NullIp { get; } = new(BlockedResponseMode.Address, IPAddress.Any, IPAddress.IPv6Any, 10);

    /// <summary>
    /// The answer for a blocked query, with Extended DNS Error 15 (Blocked) for EDNS clients (RFC 8914). The question
    /// is echoed; an address answer or the NXDOMAIN's SOA is owned by the question's name.
    /// </summary>
    public QueryResult Create(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Mode == BlockedResponseMode.Refused)
        {
            return ErrorResponses.Create(context, DnsResponseCode.Refused, ExtendedDnsErrorCode.Blocked);
        }

        var name = DnsName.FromWire(context.QuestionName);
        var question = new DnsQuestion(name, context.Question.Type, context.Question.Class);
        var response = new DnsMessage
        {
            Header = DnsResponseFactory.ResponseHeader(context.Header),
            Questions = { question },
        };

        if (Mode == BlockedResponseMode.NxDomain)
        {
            response.ResponseCode = DnsResponseCode.NameError;

            // RFC 2308 s3: an SOA in the authority section lets the negative answer be cached, for Ttl.
            response.Authorities.Add(new DnsResourceRecord(name, Ttl, new SoaRecordData
            {
                PrimaryNameServer = SoaPrimary,
                ResponsibleMailbox = SoaMailbox,
                Serial = 1,
                Refresh = 3600,
                Retry = 600,
                Expire = 86400,
                Minimum = Ttl,
            }));
        }
        else if (context.Question.Class == DnsClass.IN)
        {
            if (context.Question.Type == DnsRecordType.A && IPv4 is not null)
            {
                response.Answers.Add(new DnsResourceRecord(name, Ttl, new ARecordData(IPv4)));
            }
            else if (context.Question.Type == DnsRecordType.AAAA && IPv6 is not null)
            {
                response.Answers.Add(new DnsResourceRecord(name, Ttl, new AaaaRecordData(IPv6)));
            }
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(DnsConstants.ClassicUdpPayloadSize + DnsConstants.MaxNameLength * 2);
        if (!response.TryWrite(buffer, out int length))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return ErrorResponses.Create(context, DnsResponseCode.ServerFailure);
        }

        return QueryResult.FromPooled(buffer, length, AnswerSource.Blocked, ExtendedDnsErrorCode.Blocked);
    }
}

/// <summary>The kinds of answer to a blocked name.</summary>
public enum BlockedResponseMode
{
    /// <summary>An address (0.0.0.0 / :: or configured ones) for A and AAAA; NOERROR with no answer for other types.</summary>
    Address,

    /// <summary>NXDOMAIN with an SOA, so that the negative answer caches.</summary>
    NxDomain,

    /// <summary>REFUSED.</summary>
    Refused,
}
