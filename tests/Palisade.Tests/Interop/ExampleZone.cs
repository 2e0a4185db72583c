namespace Palisade.Tests.Interop;

/// <summary>One question about example.test. and what Knot answers, as dig and kdig print the data.</summary>
/// <param name="Name">The query name.</param>
/// <param name="Type">The query type.</param>
/// <param name="Status">The expected RCODE.</param>
/// <param name="Answer">The expected answer records as "owner TYPE data", in RRset order (records within an RRset in any order).</param>
public sealed record ZoneCase(string Name, string Type, string Status, IReadOnlyList<string> Answer)
{
    /// <summary>Negative answers (NXDOMAIN, NODATA) carry the zone's SOA in the authority section.</summary>
    public bool ExpectsSoaInAuthority => Answer.Count == 0;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Type}";
}

/// <summary>The contents of Zones/example.test.zone, as the questions the interop tests ask about it.</summary>
public static class ExampleZone
{
    public const string Soa = "ns1.example.test. hostmaster.example.test. 2024010101 7200 3600 1209600 300";

    /// <summary>The name whose TXT RRset is larger than 1232 octets.</summary>
    public const string BigTxtName = "big.example.test.";

    /// <summary>The name whose A record has TTL 2.</summary>
    public const string ShortTtlName = "short.example.test.";

    /// <summary>Every question with its expected answer: each record type, the CNAME chain, NODATA and NXDOMAIN.</summary>
    public static IReadOnlyList<ZoneCase> Cases { get; } =
    [
        new("example.test.", "SOA", "NOERROR", [$"example.test. SOA {Soa}"]),
        new("example.test.", "NS", "NOERROR", ["example.test. NS ns1.example.test.", "example.test. NS ns2.example.test."]),
        new("example.test.", "A", "NOERROR", ["example.test. A 192.0.2.1"]),
        new("example.test.", "MX", "NOERROR", ["example.test. MX 10 mail1.example.test.", "example.test. MX 20 mail2.example.test."]),
        new("example.test.", "TXT", "NOERROR", ["example.test. TXT \"v=spf1 -all\""]),
        new("example.test.", "CAA", "NOERROR", ["example.test. CAA 0 issue \"ca.example.net\"", "example.test. CAA 128 iodef \"mailto:security@example.test\""]),
        new("multi.example.test.", "A", "NOERROR", ["multi.example.test. A 192.0.2.11", "multi.example.test. A 192.0.2.12", "multi.example.test. A 192.0.2.13", "multi.example.test. A 192.0.2.14"]),
        new("v6.example.test.", "AAAA", "NOERROR", ["v6.example.test. AAAA 2001:db8::1", "v6.example.test. AAAA 2001:db8::2"]),
        new("dual.example.test.", "A", "NOERROR", ["dual.example.test. A 192.0.2.20"]),
        new("dual.example.test.", "AAAA", "NOERROR", ["dual.example.test. AAAA 2001:db8::20"]),
        new("www.example.test.", "A", "NOERROR", ["www.example.test. CNAME web.example.test.", "web.example.test. CNAME host.example.test.", "host.example.test. A 192.0.2.10"]),
        new("web.example.test.", "CNAME", "NOERROR", ["web.example.test. CNAME host.example.test."]),
        new("_sip._udp.example.test.", "SRV", "NOERROR", ["_sip._udp.example.test. SRV 10 60 5060 sip.example.test."]),
        new("_http._tcp.example.test.", "SRV", "NOERROR", ["_http._tcp.example.test. SRV 0 5 80 host.example.test.", "_http._tcp.example.test. SRV 10 5 8080 web.example.test."]),
        new("10.2.0.192.example.test.", "PTR", "NOERROR", ["10.2.0.192.example.test. PTR host.example.test."]),
        new(ShortTtlName, "A", "NOERROR", ["short.example.test. A 192.0.2.99"]),
        new("nodata.example.test.", "AAAA", "NOERROR", []),
        new("absent.example.test.", "A", "NXDOMAIN", []),
        new(BigTxtName, "TXT", "NOERROR", [.. BigTxtStrings().Select(s => $"big.example.test. TXT {s}")]),
    ];

    /// <summary>The data of the six big TXT records, as printed: two quoted 120-character strings each.</summary>
    public static IEnumerable<string> BigTxtStrings()
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 1; i <= 6; i++)
        {
            yield return $"\"{Part(i, 1)}\" \"{Part(i, 2)}\"";
        }

        static string Part(int i, int j)
        {
            string prefix = $"big-{i}-{j}-";
            return prefix + string.Concat(Enumerable.Range(0, 120 - prefix.Length).Select(k => Alphabet[((i * 7) + (j * 3) + k) % Alphabet.Length]));
        }
    }
}
