using System.Net;
using Palisade.Protocol;

namespace Palisade.Benchmarks;

/// <summary>The shapes of response the benchmarks run over.</summary>
public enum ResponseShape
{
    /// <summary>A CNAME and nine addresses: 6 A and 3 AAAA, the typical CDN answer.</summary>
    AddressChain,

    /// <summary>4 MX, 2 TXT and 4 A glue records: more record types and more names to decompress.</summary>
    Mixed,
}

/// <summary>The messages the benchmarks read, patch and write, built once through the library itself.</summary>
public static class SampleMessages
{
    /// <summary>The TTL every sample record carries.</summary>
    public const uint Ttl = 3600;

    /// <summary>A recursive A query for <c>www.example.com</c> with an EDNS OPT record (DO set), in lower case.</summary>
    public static byte[] Query(string name = "www.example.com", DnsRecordType type = DnsRecordType.A, ushort id = 0x1234)
    {
        var query = new DnsMessage
        {
            Header = new DnsHeader { Id = id, RecursionDesired = true },
            Edns = new DnsEdns { DnssecOk = true },
        };
        query.Questions.Add(new DnsQuestion(DnsName.Parse(name), type));
        return query.ToArray();
    }

    /// <summary>The parsed query whose response <see cref="ResponseMessage"/> builds.</summary>
    public static DnsMessage QueryMessage(ResponseShape shape) =>
        DnsMessage.Parse(shape == ResponseShape.AddressChain ? Query() : Query("example.com", DnsRecordType.MX));

    /// <summary>A NOERROR response of ten records (plus OPT), names compressed when written.</summary>
    public static DnsMessage ResponseMessage(ResponseShape shape)
    {
        var response = DnsResponseFactory.CreateResponse(QueryMessage(shape));
        if (shape == ResponseShape.AddressChain)
        {
            var owner = DnsName.Parse("www.example.com");
            var target = DnsName.Parse("cdn.example.net");
            response.Answers.Add(new DnsResourceRecord(owner, Ttl, new CnameRecordData(target)));
            for (int i = 1; i <= 6; i++)
            {
                response.Answers.Add(new DnsResourceRecord(target, Ttl, new ARecordData(new IPAddress([192, 0, 2, (byte)i]))));
            }

            for (int i = 1; i <= 3; i++)
            {
                var address = IPAddress.Parse("2001:db8::1");
                byte[] octets = address.GetAddressBytes();
                octets[15] = (byte)i;
                response.Answers.Add(new DnsResourceRecord(target, Ttl, new AaaaRecordData(new IPAddress(octets))));
            }
        }
        else
        {
            var owner = DnsName.Parse("example.com");
            for (int i = 1; i <= 4; i++)
            {
                var exchange = DnsName.Parse($"mx{i}.mail.example.com");
                response.Answers.Add(new DnsResourceRecord(owner, Ttl, new MxRecordData((ushort)(10 * i), exchange)));
            }

            response.Answers.Add(new DnsResourceRecord(owner, Ttl, new TxtRecordData("v=spf1 mx -all")));
            response.Answers.Add(new DnsResourceRecord(owner, Ttl, new TxtRecordData("google-site-verification=0123456789abcdefghijklmnopqrstuvwxyz")));
            for (int i = 1; i <= 4; i++)
            {
                var exchange = DnsName.Parse($"mx{i}.mail.example.com");
                response.Additionals.Add(new DnsResourceRecord(exchange, Ttl, new ARecordData(new IPAddress([198, 51, 100, (byte)i]))));
            }
        }

        return response;
    }

    /// <summary><see cref="ResponseMessage"/> in wire form.</summary>
    public static byte[] Response(ResponseShape shape) => ResponseMessage(shape).ToArray();
}
