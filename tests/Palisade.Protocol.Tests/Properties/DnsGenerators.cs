using System.Net;
using FsCheck;
using FsCheck.Fluent;

namespace Palisade.Protocol.Tests.Properties;

/// <summary>
/// FsCheck generators for names, every typed kind of record data, EDNS and whole messages. Each generator makes only
/// values the library accepts (a valid name, SvcParams in increasing key order, a client subnet the constructor
/// truncates), so that a failed property is a failure of the library, not of the generator.
/// </summary>
internal static class DnsGenerators
{
    /// <summary>The record types the reader turns into typed data: an "unknown" record must avoid them.</summary>
    private static readonly HashSet<ushort> TypedRecordTypes =
    [
        (ushort)DnsRecordType.A, (ushort)DnsRecordType.NS, (ushort)DnsRecordType.CNAME, (ushort)DnsRecordType.SOA,
        (ushort)DnsRecordType.PTR, (ushort)DnsRecordType.MX, (ushort)DnsRecordType.TXT, (ushort)DnsRecordType.AAAA,
        (ushort)DnsRecordType.SRV, (ushort)DnsRecordType.NAPTR, (ushort)DnsRecordType.DNAME, (ushort)DnsRecordType.OPT,
        (ushort)DnsRecordType.SVCB, (ushort)DnsRecordType.HTTPS, (ushort)DnsRecordType.CAA,
    ];

    /// <summary>The option codes the reader types.</summary>
    private static readonly HashSet<ushort> TypedOptionCodes =
    [
        (ushort)EdnsOptionCode.ClientSubnet, (ushort)EdnsOptionCode.Padding, (ushort)EdnsOptionCode.ExtendedDnsError,
    ];

    public static Gen<byte> Octet { get; } = Gen.Choose(0, 255).Select(i => (byte)i);

    public static Gen<ushort> UInt16 { get; } = Gen.Choose(0, ushort.MaxValue).Select(i => (ushort)i);

    public static Gen<bool> Bool { get; } = Gen.Elements(true, false);

    /// <summary>Any 32-bit value, the edges (0, 1, 2^31, 2^32-1) more often than chance.</summary>
    public static Gen<uint> UInt32 { get; } = Gen.Frequency(
        (6, from high in UInt16 from low in UInt16 select ((uint)high << 16) | low),
        (2, Gen.Choose(0, 100_000).Select(i => (uint)i)),
        (1, Gen.Elements(0u, 1u, 0x7FFF_FFFFu, 0x8000_0000u, uint.MaxValue)));

    /// <summary>Octets of a label: letters of both cases, digits and the characters that need escaping, or any octet at all.</summary>
    public static Gen<byte> LabelOctet { get; } = Gen.Frequency(
        (5, Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"u8.ToArray())),
        (2, Gen.Elements(@".\""();@$ *"u8.ToArray())),
        (3, Octet));

    /// <summary>Octets of a label in ASCII (0 to 127): the ones <see cref="DnsName.Parse(string)"/> takes back.</summary>
    public static Gen<byte> AsciiLabelOctet { get; } = Gen.Frequency(
        (5, Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"u8.ToArray())),
        (2, Gen.Elements(@".\""();@$ *"u8.ToArray())),
        (3, Gen.Choose(0, 127).Select(i => (byte)i)));

    /// <summary>Random names: short everyday ones, and long ones that come up to the 255-octet limit exactly.</summary>
    public static Gen<DnsName> Name { get; } = NameOf(LabelOctet);

    public static Gen<DnsName> AsciiName { get; } = NameOf(AsciiLabelOctet);

    public static Gen<byte[]> Bytes(int min, int max) =>
        from length in Gen.Choose(min, max)
        from bytes in Gen.ArrayOf(Octet, length)
        select bytes;

    public static Gen<DnsName> NameOf(Gen<byte> octet)
    {
        var shortLabel = from length in Gen.Frequency((6, Gen.Choose(1, 8)), (2, Gen.Choose(1, 30)), (1, Gen.Choose(1, 63)))
                         from octets in Gen.ArrayOf(octet, length)
                         select octets;
        var everyday = from count in Gen.Frequency((1, Gen.Constant(0)), (8, Gen.Choose(1, 5)), (1, Gen.Choose(6, 40)))
                       from labels in Gen.ArrayOf(shortLabel, count)
                       select Build(labels, fill: null);
        var full = from count in Gen.Choose(1, 6)
                   from labels in Gen.ArrayOf(shortLabel, count)
                   from fill in Gen.ArrayOf(octet, 63)
                   select Build(labels, fill);
        return Gen.Frequency((5, everyday), (1, full));
    }

    /// <summary>Flips the case of ASCII letters at random: the same name to <see cref="DnsName.Equals(DnsName)"/>.</summary>
    public static Gen<DnsName> Recased(DnsName name)
    {
        byte[] wire = name.WireBytes.ToArray();
        return Gen.ArrayOf(Bool, wire.Length).Select(flips =>
        {
            byte[] copy = (byte[])wire.Clone();
            for (int i = 0; i < copy.Length; i++)
            {
                if (flips[i] && char.IsAsciiLetter((char)copy[i]) && !IsLengthOctet(copy, i))
                {
                    copy[i] ^= 0x20;
                }
            }

            return DnsName.FromWire(copy);
        });
    }

    /// <summary>True when <paramref name="index"/> is a length octet of the name <paramref name="wire"/>.</summary>
    public static bool IsLengthOctet(byte[] wire, int index)
    {
        int position = 0;
        while (position < index)
        {
            position += wire[position] + 1;
        }

        return position == index;
    }

    public static Gen<DnsRecordData> RecordData { get; } = Gen.OneOf(
        Bytes(4, 4).Select(b => (DnsRecordData)new ARecordData(new IPAddress(b))),
        Bytes(16, 16).Select(b => (DnsRecordData)new AaaaRecordData(new IPAddress(b))),
        Name.Select(n => (DnsRecordData)new CnameRecordData(n)),
        Name.Select(n => (DnsRecordData)new DnameRecordData(n)),
        Name.Select(n => (DnsRecordData)new NsRecordData(n)),
        Name.Select(n => (DnsRecordData)new PtrRecordData(n)),
        from preference in UInt16 from exchange in Name select (DnsRecordData)new MxRecordData(preference, exchange),
        Txt(),
        Soa(),
        from priority in UInt16
        from weight in UInt16
        from port in UInt16
        from target in Name
        select (DnsRecordData)new SrvRecordData { Priority = priority, Weight = weight, Port = port, Target = target },
        Caa(),
        Svcb(),
        Naptr(),
        Unknown());

    public static Gen<DnsClass> Class { get; } = Gen.Frequency(
        (8, Gen.Constant(DnsClass.IN)),
        (1, Gen.Elements(DnsClass.CH, DnsClass.HS, DnsClass.None, DnsClass.Any)),
        (1, UInt16.Select(c => (DnsClass)c)));

    public static Gen<DnsResourceRecord> Record { get; } =
        from name in Name
        from @class in Class
        from ttl in UInt32
        from data in RecordData
        select new DnsResourceRecord(name, @class, ttl, data);

    public static Gen<EdnsOption> Option { get; } = Gen.OneOf(
        Gen.Choose(0, 64).Select(n => (EdnsOption)new PaddingOption(n)),
        ClientSubnet(),
        from code in UInt16
        from text in Gen.Frequency((1, Gen.Constant<string?>(null)), (3, Text().Select(t => (string?)t)))
        select (EdnsOption)new ExtendedDnsErrorOption((ExtendedDnsErrorCode)code, text),
        from code in UInt16.Where(c => !TypedOptionCodes.Contains(c))
        from data in Bytes(0, 40)
        select (EdnsOption)new UnknownEdnsOption((EdnsOptionCode)code, data));

    public static Gen<DnsEdns> Edns { get; } =
        from payload in Gen.Frequency((3, Gen.Elements((ushort)512, (ushort)1232, (ushort)4096)), (1, UInt16))
        from extendedCode in Gen.Frequency((3, Gen.Constant((byte)0)), (1, Octet))
        from version in Gen.Frequency((3, Gen.Constant((byte)0)), (1, Octet))
        from flags in Gen.Frequency((2, Gen.Elements((ushort)0, (ushort)0x8000)), (1, UInt16))
        from dnssecOk in Bool
        from optionCount in Gen.Choose(0, 4)
        from options in Gen.ArrayOf(Option, optionCount)
        select MakeEdns(payload, extendedCode, version, flags, dnssecOk, options);

    /// <summary>Any 16 bits of flags: QR, opcode, AA, TC, RD, RA, Z, AD, CD and RCODE all vary.</summary>
    public static Gen<DnsHeader> Header { get; } =
        from id in UInt16
        from flags in UInt16
        select new DnsHeader { Id = id, Flags = flags };

    public static Gen<DnsQuestion> Question { get; } =
        from name in Name
        from type in Gen.Frequency((3, Gen.Elements(DnsRecordType.A, DnsRecordType.AAAA, DnsRecordType.HTTPS)), (1, UInt16.Select(t => (DnsRecordType)t)))
        from @class in Class
        select new DnsQuestion(name, type, @class);

    public static Gen<DnsMessage> Message { get; } =
        from header in Header
        from questionCount in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Constant(1)), (1, Gen.Choose(2, 3)))
        from questions in Gen.ArrayOf(Question, questionCount)
        from answerCount in Gen.Choose(0, 5)
        from answers in Gen.ArrayOf(Record, answerCount)
        from authorityCount in Gen.Choose(0, 3)
        from authorities in Gen.ArrayOf(Record, authorityCount)
        from additionalCount in Gen.Choose(0, 3)
        from additionals in Gen.ArrayOf(Record, additionalCount)
        from edns in Gen.Frequency((1, Gen.Constant<DnsEdns?>(null)), (2, Edns.Select(e => (DnsEdns?)e)))
        select MakeMessage(header, questions, answers, authorities, additionals, edns);

    /// <summary>A query: one question, perhaps EDNS.</summary>
    public static Gen<DnsMessage> Query { get; } =
        from header in Header
        from question in Question
        from edns in Gen.Frequency((1, Gen.Constant<DnsEdns?>(null)), (1, Edns.Select(e => (DnsEdns?)e)))
        select MakeMessage(header, [question], [], [], [], edns);

    public static DnsMessage MakeMessage(
        DnsHeader header,
        DnsQuestion[] questions,
        DnsResourceRecord[] answers,
        DnsResourceRecord[] authorities,
        DnsResourceRecord[] additionals,
        DnsEdns? edns)
    {
        var message = new DnsMessage { Header = header, Edns = edns };
        message.Questions.AddRange(questions);
        message.Answers.AddRange(answers);
        message.Authorities.AddRange(authorities);
        message.Additionals.AddRange(additionals);
        return message;
    }

    private static DnsName Build(byte[][] labels, byte[]? fill)
    {
        var wire = new List<byte>();
        foreach (byte[] label in labels)
        {
            // Each label, and the root octet after it, must fit in 255.
            if (wire.Count + 1 + label.Length + 1 > DnsConstants.MaxNameLength)
            {
                break;
            }

            wire.Add((byte)label.Length);
            wire.AddRange(label);
        }

        if (fill is not null)
        {
            // Fill up to exactly 255 octets with labels of up to 63.
            while (DnsConstants.MaxNameLength - wire.Count - 1 >= 2)
            {
                int length = Math.Min(DnsConstants.MaxLabelLength, DnsConstants.MaxNameLength - wire.Count - 2);
                wire.Add((byte)length);
                wire.AddRange(fill.AsSpan(0, length));
            }
        }

        wire.Add(0);
        return DnsName.FromWire(wire.ToArray());
    }

    private static Gen<DnsRecordData> Txt() =>
        from count in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 3)), (1, Gen.Choose(4, 6)))
        from strings in Gen.ArrayOf(Gen.Frequency((5, Bytes(0, 40)), (1, Bytes(200, 255))), count)
        select (DnsRecordData)new TxtRecordData(strings);

    private static Gen<DnsRecordData> Soa() =>
        from primary in Name
        from mailbox in Name
        from serial in UInt32
        from refresh in UInt32
        from retry in UInt32
        from expire in UInt32
        from minimum in UInt32
        select (DnsRecordData)new SoaRecordData
        {
            PrimaryNameServer = primary,
            ResponsibleMailbox = mailbox,
            Serial = serial,
            Refresh = refresh,
            Retry = retry,
            Expire = expire,
            Minimum = minimum,
        };

    private static Gen<DnsRecordData> Caa() =>
        from flags in Gen.Elements((byte)0, (byte)128, (byte)1, (byte)255)
        from tagLength in Gen.Frequency((5, Gen.Choose(1, 15)), (1, Gen.Choose(16, 255)))
        from tag in Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".ToCharArray()), tagLength)
        from value in Bytes(0, 60)
        select (DnsRecordData)new CaaRecordData(flags, new string(tag), value);

    private static Gen<DnsRecordData> Naptr() =>
        from order in UInt16
        from preference in UInt16
        from flags in Bytes(0, 4)
        from services in Bytes(0, 30)
        from regexp in Gen.Frequency((3, Bytes(0, 40)), (1, Bytes(255, 255)))
        from replacement in Name
        select (DnsRecordData)new NaptrRecordData
        {
            Order = order,
            Preference = preference,
            Flags = flags,
            Services = services,
            Regexp = regexp,
            Replacement = replacement,
        };

    private static Gen<DnsRecordData> Unknown() =>
        from type in Gen.Frequency(
            (3, Gen.Elements(DnsRecordType.DS, DnsRecordType.DNSKEY, DnsRecordType.RRSIG, DnsRecordType.NSEC, DnsRecordType.HINFO, DnsRecordType.TLSA)),
            (2, UInt16.Where(t => !TypedRecordTypes.Contains(t)).Select(t => (DnsRecordType)t)))
        from data in Bytes(0, 100)
        select (DnsRecordData)new UnknownRecordData(type, data);

    private static Gen<DnsRecordData> Svcb() =>
        from type in Gen.Elements(DnsRecordType.SVCB, DnsRecordType.HTTPS)
        from priority in Gen.Frequency((1, Gen.Constant((ushort)0)), (3, UInt16))
        from target in Name
        from knownKeys in Gen.SubListOf(Enumerable.Range(0, 7).ToArray())
        from otherCount in Gen.Choose(0, 2)
        from otherKeys in Gen.ArrayOf(Gen.Choose(7, ushort.MaxValue), otherCount)
        from parameters in Gen.CollectToArray(knownKeys.Concat(otherKeys).Distinct().Order(), key => SvcParamValue((SvcParamKey)key))
        select (DnsRecordData)new SvcbRecordData(type, priority, target, parameters);

    private static Gen<SvcParam> SvcParamValue(SvcParamKey key)
    {
        var value = key switch
        {
            SvcParamKey.Mandatory => from count in Gen.Choose(1, 3)
                                     from keys in Gen.ArrayOf(UInt16, count)
                                     select keys.SelectMany(k => new[] { (byte)(k >> 8), (byte)k }).ToArray(),
            SvcParamKey.Alpn => from count in Gen.Choose(1, 3)
                                from ids in Gen.ArrayOf(Bytes(1, 10), count)
                                select ids.SelectMany(id => id.Prepend((byte)id.Length)).ToArray(),
            SvcParamKey.NoDefaultAlpn => Gen.Constant(Array.Empty<byte>()),
            SvcParamKey.Port => Bytes(2, 2),
            SvcParamKey.Ipv4Hint => Gen.Choose(1, 3).SelectMany(n => Bytes(4 * n, 4 * n)),
            SvcParamKey.Ipv6Hint => Gen.Choose(1, 2).SelectMany(n => Bytes(16 * n, 16 * n)),
            _ => Bytes(0, 40),
        };
        return value.Select(v => new SvcParam(key, v));
    }

    private static Gen<EdnsOption> ClientSubnet() =>
        from v6 in Bool
        from address in Bytes(v6 ? 16 : 4, v6 ? 16 : 4)
        from source in Gen.Choose(0, v6 ? 128 : 32)
        from scope in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(0, v6 ? 128 : 32)))
        select (EdnsOption)new ClientSubnetOption(new IPAddress(address), (byte)source, (byte)scope);

    /// <summary>Text for an Extended DNS Error: ASCII and some other scripts; no NUL, no lone surrogates.</summary>
    private static Gen<string> Text() =>
        from length in Gen.Choose(1, 30)
        from chars in Gen.ArrayOf(Gen.Frequency(
            (8, Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString())),
            (1, Gen.Elements("é", "ß", "日本", "Ω", "\t", "😀"))), length)
        select string.Concat(chars);

    private static DnsEdns MakeEdns(ushort payload, byte extendedCode, byte version, ushort flags, bool dnssecOk, EdnsOption[] options)
    {
        var edns = new DnsEdns
        {
            UdpPayloadSize = payload,
            ExtendedResponseCode = extendedCode,
            Version = version,
            Flags = flags,
            DnssecOk = dnssecOk,
        };
        foreach (var option in options)
        {
            edns.Options.Add(option);
        }

        return edns;
    }
}
