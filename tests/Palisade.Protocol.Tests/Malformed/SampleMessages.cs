using System.Net;

namespace Palisade.Protocol.Tests.Malformed;

/// <summary>Well-formed messages of every shape the server sees, to cut short and to mutate.</summary>
internal static class SampleMessages
{
    public static TheoryData<string> Names => [.. All.Keys];

    public static IReadOnlyDictionary<string, byte[]> All { get; } = new Dictionary<string, byte[]>
    {
        ["query"] = Query().ToArray(),
        ["cname-chain"] = CnameChain().ToArray(),
        ["nxdomain-soa"] = NxDomain().ToArray(),
        ["txt"] = Txt().ToArray(),
        ["svcb"] = Svcb().ToArray(),
        ["opt-ecs-ede"] = OptWithOptions().ToArray(),
        ["mixed"] = Mixed().ToArray(),
    };

    private static DnsName N(string text) => DnsName.Parse(text);

    private static DnsMessage Response(string name, DnsRecordType type)
    {
        var message = new DnsMessage { Header = new DnsHeader { Id = 0xBEEF, IsResponse = true, RecursionDesired = true, RecursionAvailable = true } };
        message.Questions.Add(new DnsQuestion(N(name), type));
        return message;
    }

    private static DnsMessage Query()
    {
        var message = new DnsMessage { Header = new DnsHeader { Id = 0x1234, RecursionDesired = true }, Edns = new DnsEdns { DnssecOk = true } };
        message.Questions.Add(new DnsQuestion(N("WwW.ExAmPlE.CoM."), DnsRecordType.AAAA));
        return message;
    }

    private static DnsMessage CnameChain()
    {
        var message = Response("www.example.com.", DnsRecordType.A);
        message.Answers.Add(new DnsResourceRecord(N("www.example.com."), 300, new CnameRecordData(N("edge.example.net."))));
        message.Answers.Add(new DnsResourceRecord(N("edge.example.net."), 60, new CnameRecordData(N("pop1.cdn.example.org."))));
        message.Answers.Add(new DnsResourceRecord(N("pop1.cdn.example.org."), 20, new ARecordData(IPAddress.Parse("192.0.2.1"))));
        message.Answers.Add(new DnsResourceRecord(N("pop1.cdn.example.org."), 20, new ARecordData(IPAddress.Parse("192.0.2.2"))));
        return message;
    }

    private static DnsMessage NxDomain()
    {
        var message = Response("nope.example.com.", DnsRecordType.A);
        message.Edns = new DnsEdns { DnssecOk = true };
        message.ResponseCode = DnsResponseCode.NameError;
        message.Authorities.Add(new DnsResourceRecord(N("example.com."), 900, new SoaRecordData
        {
            PrimaryNameServer = N("ns1.example.com."),
            ResponsibleMailbox = N("hostmaster.example.com."),
            Serial = 2024010101,
            Refresh = 7200,
            Retry = 3600,
            Expire = 1209600,
            Minimum = 300,
        }));
        return message;
    }

    private static DnsMessage Txt()
    {
        var message = Response("example.com.", DnsRecordType.TXT);
        message.Answers.Add(new DnsResourceRecord(N("example.com."), 3600, new TxtRecordData("v=spf1 -all")));
        message.Answers.Add(new DnsResourceRecord(N("example.com."), 3600, new TxtRecordData([[0x00, 0xFF, 0x22, 0x5C], [], [.. Enumerable.Repeat((byte)'x', 255)]])));
        return message;
    }

    private static DnsMessage Svcb()
    {
        var message = Response("example.com.", DnsRecordType.HTTPS);
        message.Answers.Add(new DnsResourceRecord(N("example.com."), 300, new SvcbRecordData(DnsRecordType.HTTPS, 1, DnsName.Root,
        [
            new SvcParam(SvcParamKey.Mandatory, [0x00, 0x01]),
            new SvcParam(SvcParamKey.Alpn, [2, (byte)'h', (byte)'2', 2, (byte)'h', (byte)'3']),
            new SvcParam(SvcParamKey.NoDefaultAlpn, []),
            new SvcParam(SvcParamKey.Port, [0x01, 0xBB]),
            new SvcParam(SvcParamKey.Ipv4Hint, [192, 0, 2, 1, 192, 0, 2, 2]),
            new SvcParam(SvcParamKey.Ech, [1, 2, 3, 4, 5]),
            new SvcParam(SvcParamKey.Ipv6Hint, IPAddress.Parse("2001:db8::1").GetAddressBytes()),
        ])));
        message.Answers.Add(new DnsResourceRecord(N("_dns.example.com."), 300, new SvcbRecordData(DnsRecordType.SVCB, 0, N("svc.example.net."), [])));
        message.Additionals.Add(new DnsResourceRecord(N("svc.example.net."), 300, new AaaaRecordData(IPAddress.Parse("2001:db8::53"))));
        return message;
    }

    private static DnsMessage OptWithOptions()
    {
        var message = Response("blocked.example.", DnsRecordType.A);
        message.Edns = new DnsEdns { UdpPayloadSize = 1232, DnssecOk = true };
        message.Edns.Options.Add(new ClientSubnetOption(IPAddress.Parse("198.51.100.77"), 22, 16));
        message.Edns.Options.Add(new ClientSubnetOption(IPAddress.Parse("2001:db8:abcd::1"), 56));
        message.Edns.Options.Add(new ExtendedDnsErrorOption(ExtendedDnsErrorCode.Blocked, "blocked by policy"));
        message.Edns.Options.Add(new UnknownEdnsOption(EdnsOptionCode.Cookie, [1, 2, 3, 4, 5, 6, 7, 8]));
        message.Edns.Options.Add(new PaddingOption(17));
        message.ResponseCode = DnsResponseCode.Refused;
        return message;
    }

    private static DnsMessage Mixed()
    {
        var message = Response("example.com.", DnsRecordType.ANY);
        message.Answers.Add(new DnsResourceRecord(N("example.com."), 300, new MxRecordData(10, N("mail.example.com."))));
        message.Answers.Add(new DnsResourceRecord(N("example.com."), 300, new NsRecordData(N("ns1.example.com."))));
        message.Answers.Add(new DnsResourceRecord(N("_sip._tcp.example.com."), 300, new SrvRecordData { Priority = 1, Weight = 2, Port = 5060, Target = N("sip.example.com.") }));
        message.Answers.Add(new DnsResourceRecord(N("example.com."), 300, new CaaRecordData(0, "issue", "ca.example.net")));
        message.Answers.Add(new DnsResourceRecord(N("example.com."), 300, new NaptrRecordData
        {
            Order = 100,
            Preference = 10,
            Flags = "S"u8,
            Services = "SIP+D2U"u8,
            Regexp = ""u8,
            Replacement = N("_sip._udp.example.com."),
        }));
        message.Answers.Add(new DnsResourceRecord(N("1.2.0.192.in-addr.arpa."), 300, new PtrRecordData(N("host.example.com."))));
        message.Answers.Add(new DnsResourceRecord(N("old.example.com."), 300, new DnameRecordData(N("new.example.com."))));
        message.Authorities.Add(new DnsResourceRecord(N("example.com."), 300, new UnknownRecordData(DnsRecordType.DS, [0x12, 0x34, 8, 2, 0xAA, 0xBB])));
        message.Additionals.Add(new DnsResourceRecord(N("mail.example.com."), 300, new ARecordData(IPAddress.Parse("192.0.2.25"))));
        message.Edns = new DnsEdns();
        return message;
    }
}
