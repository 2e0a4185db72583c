using System.Buffers;
using System.Buffers.Binary;
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
    /// <summary>The NXDOMAIN's SOA names, in wire form: MNAME palisade.invalid, RNAME blocked.palisade.invalid.</summary>
    private static readonly byte[] SoaNames = [.. DnsName.Parse("palisade.invalid").WireBytes, .. DnsName.Parse("blocked.palisade.invalid").WireBytes];

    /// <summary>A record's owner: a pointer to the question's name, which always starts right after the header.</summary>
    private const ushort PointerToQuestion = 0xC000 | DnsConstants.HeaderSize;

    /// <summary>The default: A → 0.0.0.0, AAAA → ::, other types NOERROR with no answer, TTL 10 s.</summary>
    public static BlockedResponse NullIp { get; } = new(BlockedResponseMode.Address, IPAddress.Any, IPAddress.IPv6Any, 10);

    /// <summary>
    /// The answer for a blocked query, with Extended DNS Error 15 (Blocked) for EDNS clients (RFC 8914). The question
    /// is echoed as the client wrote it; an address answer or the NXDOMAIN's SOA is owned by the question's name. Written
    /// straight into a pooled buffer: a blocked answer allocates nothing.
    /// </summary>
    public QueryResult Create(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Mode == BlockedResponseMode.Refused)
        {
            return ErrorResponses.Create(context, DnsResponseCode.Refused, ExtendedDnsErrorCode.Blocked);
        }

        var question = context.Question;
        var name = context.QuestionName;
        var header = DnsResponseFactory.ResponseHeader(context.Header);
        header.QuestionCount = 1;
        var address = Mode == BlockedResponseMode.Address && question.Class == DnsClass.IN
            ? question.Type switch
            {
                DnsRecordType.A => IPv4,
                DnsRecordType.AAAA => IPv6,
                _ => null,
            }
            : null;

        // Header, question, then at most one record: an address (16 octets at most) or the SOA, both well within this.
        byte[] buffer = ArrayPool<byte>.Shared.Rent(DnsConstants.ClassicUdpPayloadSize + DnsConstants.MaxNameLength * 2);
        var span = buffer.AsSpan();
        int at = DnsConstants.HeaderSize;
        name.CopyTo(span[at..]);
        at += name.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)question.Type);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 2)..], (ushort)question.Class);
        at += 4;

        if (Mode == BlockedResponseMode.NxDomain)
        {
            header.ResponseCodeLow = (byte)DnsResponseCode.NameError;

            // RFC 2308 s3: an SOA in the authority section lets the negative answer be cached, for Ttl.
            header.AuthorityCount = 1;
            at = WriteRecordStart(span, at, DnsRecordType.SOA, SoaNames.Length + 20);
            SoaNames.CopyTo(span[at..]);
            at += SoaNames.Length;
            foreach (uint value in (ReadOnlySpan<uint>)[1, 3600, 600, 86400, Ttl])
            {
                BinaryPrimitives.WriteUInt32BigEndian(span[at..], value);
                at += 4;
            }
        }
        else if (address is not null)
        {
            header.AnswerCount = 1;
            int length = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 4 : 16;
            at = WriteRecordStart(span, at, question.Type, length);
            address.TryWriteBytes(span[at..], out _);
            at += length;
        }

        header.WriteTo(span);
        return QueryResult.FromPooled(buffer, at, AnswerSource.Blocked, ExtendedDnsErrorCode.Blocked);
    }

    /// <summary>Owner (the question's name), type, class IN, TTL and RDLENGTH; returns where the RDATA goes.</summary>
    private int WriteRecordStart(Span<byte> span, int at, DnsRecordType type, int dataLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], PointerToQuestion);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 2)..], (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 4)..], (ushort)DnsClass.IN);
        BinaryPrimitives.WriteUInt32BigEndian(span[(at + 6)..], Ttl);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 10)..], (ushort)dataLength);
        return at + 12;
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
