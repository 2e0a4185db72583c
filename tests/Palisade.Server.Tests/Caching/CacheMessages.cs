using System.Net;
using Palisade.Protocol;
using Palisade.Server.Caching;

namespace Palisade.Server.Tests.Caching;

/// <summary>Queries and responses for the cache tests, built through the protocol library.</summary>
internal static class CacheMessages
{
    public static byte[] Query(
        string name = "www.example.com",
        DnsRecordType type = DnsRecordType.A,
        bool dnssecOk = false,
        bool checkingDisabled = false,
        bool edns = true,
        ushort id = 0x1234) =>
        QueryMessage(name, type, dnssecOk, checkingDisabled, edns, id).ToArray();

    public static DnsMessage QueryMessage(
        string name = "www.example.com",
        DnsRecordType type = DnsRecordType.A,
        bool dnssecOk = false,
        bool checkingDisabled = false,
        bool edns = true,
        ushort id = 0x1234)
    {
        var query = new DnsMessage
        {
            Header = new DnsHeader { Id = id, RecursionDesired = true, CheckingDisabled = checkingDisabled },
            Edns = edns ? new DnsEdns { DnssecOk = dnssecOk } : null,
        };
        query.Questions.Add(new DnsQuestion(DnsName.Parse(name), type));
        return query;
    }

    public static byte[] Key(byte[] query)
    {
        Span<byte> key = stackalloc byte[CacheKey.MaxLength];
        Assert.True(CacheKey.TryCreate(query, key, out int length));
        return key[..length].ToArray();
    }

    /// <summary>A NOERROR answer with one A record per TTL given.</summary>
    public static byte[] Answer(string name = "www.example.com", params uint[] ttls) => AnswerMessage(name, ttls).ToArray();

    public static DnsMessage AnswerMessage(string name, params uint[] ttls)
    {
        var response = DnsResponseFactory.CreateResponse(QueryMessage(name));
        var owner = DnsName.Parse(name);
        for (int i = 0; i < ttls.Length; i++)
        {
            response.Answers.Add(new DnsResourceRecord(owner, ttls[i], new ARecordData(new IPAddress([192, 0, 2, (byte)(i + 1)]))));
        }

        return response;
    }

    /// <summary>NXDOMAIN (or NODATA) with, when <paramref name="soaTtl"/> is given, an SOA in the authority section.</summary>
    public static byte[] Negative(
        DnsResponseCode code = DnsResponseCode.NameError,
        uint? soaTtl = 3600,
        uint minimum = 900,
        string name = "www.example.com")
    {
        var response = DnsResponseFactory.CreateResponse(QueryMessage(name), code);
        if (soaTtl is { } ttl)
        {
            response.Authorities.Add(Soa(ttl, minimum));
        }

        return response.ToArray();
    }

    public static DnsResourceRecord Soa(uint ttl, uint minimum) =>
        new(DnsName.Parse("example.com"), ttl, new SoaRecordData
        {
            PrimaryNameServer = DnsName.Parse("ns1.example.com"),
            ResponsibleMailbox = DnsName.Parse("hostmaster.example.com"),
            Serial = 2024010101,
            Refresh = 7200,
            Retry = 3600,
            Expire = 1209600,
            Minimum = minimum,
        });

    public static byte[] WithCode(DnsResponseCode code, string name = "www.example.com") =>
        DnsResponseFactory.CreateResponse(QueryMessage(name), code).ToArray();

    /// <summary>The TTL of every record but OPT, in order.</summary>
    public static uint[] Ttls(ReadOnlySpan<byte> message)
    {
        var parsed = DnsMessage.Parse(message);
        return [.. parsed.Answers.Concat(parsed.Authorities).Concat(parsed.Additionals).Select(r => r.Ttl)];
    }
}
