namespace Palisade.Protocol.Tests.Malformed;

/// <summary>
/// Hand-written malformed messages, one per way a message can be wrong. Each says which <see cref="DnsReadError"/>
/// it must give and at which offset; the comment on each line is that line's offset.
/// </summary>
public sealed class WireFixtureTests
{
    /// <summary>TYPE65280: a type the library does not know, whose data it keeps as octets.</summary>
    private const byte Private = 0xFF;

    [Fact]
    public void Parse_QuestionPointerToItself_ThrowsBadPointer()
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x01, 0x00,   // ID, flags: RD
            /*  4 */ 0x00, 0x01, 0x00, 0x00,   // QDCOUNT 1, ANCOUNT 0
            /*  8 */ 0x00, 0x00, 0x00, 0x00,   // NSCOUNT 0, ARCOUNT 0
            /* 12 */ 0xC0, 0x0C,               // QNAME: pointer to 12, itself
            /* 14 */ 0x00, 0x01, 0x00, 0x01,   // A IN
        ];
        AssertMalformed(wire, DnsReadError.BadPointer, 12, walkerError: DnsReadError.BadPointer);
        var reader = new DnsMessageReader(wire);
        reader.ReadHeader();
        Assert.False(reader.TryReadQuestion(new byte[255], out _));
        Assert.Equal(12, reader.Position);
    }

    [Fact]
    public void Parse_AnswerPointerToItself_ThrowsBadPointer()
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x81, 0x80,   // ID, flags: QR RD RA
            /*  4 */ 0x00, 0x01, 0x00, 0x01,   // QDCOUNT 1, ANCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,   // NSCOUNT 0, ARCOUNT 0
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 19 */ 0xC0, 0x13,               // NAME: pointer to 19, itself
            /* 21 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 25 */ 0x00, 0x00, 0x0E, 0x10,   // TTL 3600
            /* 29 */ 0x00, 0x04,               // RDLENGTH 4
            /* 31 */ 0xC0, 0x00, 0x02, 0x01,   // 192.0.2.1
        ];
        AssertMalformed(wire, DnsReadError.BadPointer, 19, walkerError: DnsReadError.BadPointer);
    }

    [Fact]
    public void Parse_TwoPointerLoop_ThrowsBadPointer()
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x81, 0x80,   // ID, flags: QR RD RA
            /*  4 */ 0x00, 0x01, 0x00, 0x02,   // QDCOUNT 1, ANCOUNT 2
            /*  8 */ 0x00, 0x00, 0x00, 0x00,   // NSCOUNT 0, ARCOUNT 0
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 19 */ 0xC0, 0x0C,               // NAME: pointer to 12 (a.)
            /* 21 */ Private, 0x00, 0x00, 0x01, // TYPE65280 IN
            /* 25 */ 0x00, 0x00, 0x00, 0x3C,   // TTL 60
            /* 29 */ 0x00, 0x04,               // RDLENGTH 4
            /* 31 */ 0xC0, 0x21,               // opaque data: looks like a pointer to 33
            /* 33 */ 0xC0, 0x1F,               // ... and a pointer to 31: a loop of two
            /* 35 */ 0xC0, 0x21,               // NAME: pointer to 33, which leads to 31, which leads back to 33
            /* 37 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 41 */ 0x00, 0x00, 0x00, 0x3C,   // TTL 60
            /* 45 */ 0x00, 0x00,               // RDLENGTH 0
        ];
        AssertMalformed(wire, DnsReadError.BadPointer, 31, walkerError: DnsReadError.BadPointer);
    }

    [Fact]
    public void Parse_ForwardPointer_ThrowsBadPointer()
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x01, 0x00,   // ID, flags: RD
            /*  4 */ 0x00, 0x01, 0x00, 0x00,   // QDCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
            /* 12 */ 0xC0, 0x12,               // QNAME: pointer to 18, later in the message
            /* 14 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 18 */ 0x01, 0x61, 0x00,         // a. (never reached)
        ];
        AssertMalformed(wire, DnsReadError.BadPointer, 12, walkerError: DnsReadError.BadPointer);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x04)]
    [InlineData(0x0B)]
    public void Parse_PointerIntoHeader_ThrowsBadPointer(byte target)
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x81, 0x80,   // ID, flags: QR RD RA
            /*  4 */ 0x00, 0x01, 0x00, 0x01,   // QDCOUNT 1, ANCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 19 */ 0xC0, target,             // NAME: pointer into the header
            /* 21 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 25 */ 0x00, 0x00, 0x0E, 0x10,   // TTL 3600
            /* 29 */ 0x00, 0x04,               // RDLENGTH 4
            /* 31 */ 0xC0, 0x00, 0x02, 0x01,   // 192.0.2.1
        ];
        AssertMalformed(wire, DnsReadError.BadPointer, 19, walkerError: DnsReadError.BadPointer);
    }

    /// <summary>
    /// A record of TYPE65280 whose data is <paramref name="pointers"/> pointers, the first to the root name at 12 and
    /// each later one to the one before; then a record whose owner points to the last of them. Reading that owner
    /// follows pointers+1 pointers: 127 is the most a 255-octet name can need (<see cref="DnsConstants.MaxPointerHops"/>).
    /// </summary>
    private static byte[] PointerChain(int pointers)
    {
        var wire = new List<byte>
        {
            /*  0 */ 0x12, 0x34, 0x81, 0x80,   // ID, flags: QR RD RA
            /*  4 */ 0x00, 0x01, 0x00, 0x02,   // QDCOUNT 1, ANCOUNT 2
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
            /* 12 */ 0x00,                     // QNAME: the root
            /* 13 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 17 */ 0x00,                     // NAME: the root
            /* 18 */ Private, 0x00, 0x00, 0x01, // TYPE65280 IN
            /* 22 */ 0x00, 0x00, 0x00, 0x3C,   // TTL 60
            /* 26 */ (byte)(2 * pointers >> 8), (byte)(2 * pointers), // RDLENGTH
        };

        // 28: pointer 0 to 12; pointer i (at 28 + 2i) to pointer i-1.
        int previous = 12;
        for (int i = 0; i < pointers; i++)
        {
            int here = wire.Count;
            wire.Add((byte)(0xC0 | (previous >> 8)));
            wire.Add((byte)previous);
            previous = here;
        }

        // The second record: its owner points to the last pointer.
        wire.AddRange([(byte)(0xC0 | (previous >> 8)), (byte)previous, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x04, 192, 0, 2, 1]);
        return [.. wire];
    }

    [Fact]
    public void Parse_PointerChainOf127_Succeeds()
    {
        byte[] wire = PointerChain(DnsConstants.MaxPointerHops - 1);
        var message = DnsMessage.Parse(wire);
        Assert.True(message.Answers[1].Name.IsRoot);
        Assert.Equal(DnsReadError.None, MalformedHarness.Walk(wire));
        MalformedHarness.ExerciseAll(wire);
    }

    [Fact]
    public void Parse_PointerChainOf128_ThrowsPointerChainTooLong()
    {
        byte[] wire = PointerChain(DnsConstants.MaxPointerHops);

        // The 128th pointer followed is the first of the chain, at 28.
        AssertMalformed(wire, DnsReadError.PointerChainTooLong, 28, walkerError: DnsReadError.PointerChainTooLong);
    }

    [Theory]
    [InlineData(0x40)] // length 64, and the 01 label type (RFC 6891 s5)
    [InlineData(0x41)]
    [InlineData(0x7F)]
    [InlineData(0x80)] // the reserved 10 label type
    [InlineData(0xBF)]
    public void Parse_LabelOver63OrReservedType_ThrowsBadLabel(byte label)
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x01, 0x00,   // ID, flags: RD
            /*  4 */ 0x00, 0x01, 0x00, 0x00,   // QDCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
            /* 12 */ 0x01, 0x61,               // QNAME: label "a"
            /* 14 */ label, 0x62, 0x00,        // then a label length over 63
            /* 17 */ 0x00, 0x01, 0x00, 0x01,   // A IN
        ];
        AssertMalformed(wire, DnsReadError.BadLabel, 14, walkerError: DnsReadError.BadLabel);
    }

    /// <summary>Labels of 63, 63, 63 and <paramref name="last"/> octets, then the root: 193 + 1 + last + 1 octets.</summary>
    private static byte[] QueryWithLongName(int last)
    {
        var wire = new List<byte>
        {
            /*  0 */ 0x12, 0x34, 0x01, 0x00,   // ID, flags: RD
            /*  4 */ 0x00, 0x01, 0x00, 0x00,   // QDCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
        };

        // 12, 76, 140: three labels of 63 'a'; 204: one of `last` 'b'; then the root.
        foreach (int length in (int[])[63, 63, 63, last])
        {
            wire.Add((byte)length);
            wire.AddRange(Enumerable.Repeat((byte)(length == 63 ? 'a' : 'b'), length));
        }

        wire.AddRange([0x00, 0x00, 0x01, 0x00, 0x01]); // root, A IN
        return [.. wire];
    }

    [Fact]
    public void Parse_NameOf255Octets_Succeeds()
    {
        byte[] wire = QueryWithLongName(61);
        var message = DnsMessage.Parse(wire);
        Assert.Equal(DnsConstants.MaxNameLength, message.Questions[0].Name.WireLength);
        MalformedHarness.ExerciseAll(wire);
    }

    [Fact]
    public void Parse_NameOf256Octets_ThrowsNameTooLong()
    {
        byte[] wire = QueryWithLongName(62);

        // The fourth label, at 12 + 3 * 64, is the one that does not fit.
        AssertMalformed(wire, DnsReadError.NameTooLong, 204, walkerError: DnsReadError.NameTooLong);
    }

    [Fact]
    public void Parse_CompressedNameOver255Octets_ThrowsNameTooLong()
    {
        // The question is 201 octets (63, 63, 63, 7 and the root); the answer's owner is a label of 60 and then a
        // pointer to the question: 61 + 201 = 262 octets. The label that overflows is the question's fourth, at 204.
        var wire = new List<byte>
        {
            /*  0 */ 0x12, 0x34, 0x81, 0x80,   // ID, flags: QR RD RA
            /*  4 */ 0x00, 0x01, 0x00, 0x01,   // QDCOUNT 1, ANCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
        };
        foreach (int length in (int[])[63, 63, 63, 7])
        {
            wire.Add((byte)length);
            wire.AddRange(Enumerable.Repeat((byte)'q', length));
        }

        /* 212 */
        wire.AddRange([0x00, 0x00, 0x01, 0x00, 0x01]); // root, A IN
        /* 217 */
        wire.Add(60);
        /* 218 */
        wire.AddRange(Enumerable.Repeat((byte)'o', 60));
        /* 278 */
        wire.AddRange([0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x04, 192, 0, 2, 1]);

        AssertMalformed([.. wire], DnsReadError.NameTooLong, 204, walkerError: DnsReadError.NameTooLong);
    }

    [Fact]
    public void Parse_RdlengthPastTheEnd_ThrowsBadRecordLength()
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x81, 0x80,   // ID, flags: QR RD RA
            /*  4 */ 0x00, 0x01, 0x00, 0x01,   // QDCOUNT 1, ANCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 19 */ 0xC0, 0x0C,               // NAME: pointer to 12
            /* 21 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 25 */ 0x00, 0x00, 0x0E, 0x10,   // TTL 3600
            /* 29 */ 0x00, 0x10,               // RDLENGTH 16, but only 4 octets follow
            /* 31 */ 0xC0, 0x00, 0x02, 0x01,
        ];
        AssertMalformed(wire, DnsReadError.BadRecordLength, 29, walkerError: DnsReadError.BadRecordLength);
    }

    [Theory]
    [InlineData(0x01, 3)] // A of 3 octets
    [InlineData(0x01, 5)] // A of 5 octets
    [InlineData(0x1C, 4)] // AAAA of 4 octets
    [InlineData(0x1C, 15)] // AAAA of 15 octets
    public void Parse_AddressOfTheWrongLength_ThrowsBadRecordLength(byte type, byte length)
    {
        byte[] header =
        [
            /*  0 */ 0x12, 0x34, 0x81, 0x80,   // ID, flags: QR RD RA
            /*  4 */ 0x00, 0x01, 0x00, 0x01,   // QDCOUNT 1, ANCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, type, 0x00, 0x01,   // A or AAAA, IN
            /* 19 */ 0xC0, 0x0C,               // NAME: pointer to 12
            /* 21 */ 0x00, type, 0x00, 0x01,   // A or AAAA, IN
            /* 25 */ 0x00, 0x00, 0x0E, 0x10,   // TTL 3600
            /* 29 */ 0x00, length,             // RDLENGTH: not 4 (A) or 16 (AAAA)
        ];
        byte[] wire = [.. header, .. Enumerable.Repeat((byte)0x20, length)]; // 31: the data

        // The address readers give the offset of the data, at 31; the framing is fine, so the walker has no complaint.
        AssertMalformed(wire, DnsReadError.BadRecordLength, 31, walkerError: DnsReadError.None);
    }

    [Fact]
    public void Parse_AnswerCountPastTheRecords_ThrowsTruncated()
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x81, 0x80,   // ID, flags: QR RD RA
            /*  4 */ 0x00, 0x01, 0x00, 0x02,   // QDCOUNT 1, ANCOUNT 2: but one answer follows
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 19 */ 0xC0, 0x0C,               // NAME: pointer to 12
            /* 21 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 25 */ 0x00, 0x00, 0x0E, 0x10,   // TTL 3600
            /* 29 */ 0x00, 0x04,               // RDLENGTH 4
            /* 31 */ 0xC0, 0x00, 0x02, 0x01,   // 192.0.2.1
            /* 35 */                           // the end: the second answer is missing
        ];
        AssertMalformed(wire, DnsReadError.Truncated, 35, walkerError: DnsReadError.Truncated);
    }

    [Fact]
    public void Parse_TrailingGarbage_ThrowsTrailingData()
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x01, 0x00,   // ID, flags: RD
            /*  4 */ 0x00, 0x01, 0x00, 0x00,   // QDCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 19 */ 0xDE, 0xAD, 0xBE, 0xEF,   // garbage
        ];

        // The walker does not look past the last record the header counts.
        AssertMalformed(wire, DnsReadError.TrailingData, 19, walkerError: DnsReadError.None);
    }

    [Fact]
    public void Parse_TwoOptRecords_ThrowsBadOpt()
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x01, 0x00,   // ID, flags: RD
            /*  4 */ 0x00, 0x01, 0x00, 0x00,   // QDCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x02,   // ARCOUNT 2
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 19 */ 0x00, 0x00, 0x29,         // OPT: root, TYPE 41
            /* 22 */ 0x04, 0xD0,               // payload 1232
            /* 24 */ 0x00, 0x00, 0x80, 0x00,   // extended RCODE 0, version 0, DO
            /* 28 */ 0x00, 0x00,               // RDLENGTH 0
            /* 30 */ 0x00, 0x00, 0x29,         // a second OPT
            /* 33 */ 0x10, 0x00,               // payload 4096
            /* 35 */ 0x00, 0x00, 0x00, 0x00,
            /* 39 */ 0x00, 0x00,               // RDLENGTH 0
        ];
        AssertMalformed(wire, DnsReadError.BadOpt, 30, walkerError: DnsReadError.None);
    }

    [Fact]
    public void Parse_OptInTheAnswerSection_ThrowsBadOpt()
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x81, 0x80,   // ID, flags: QR RD RA
            /*  4 */ 0x00, 0x01, 0x00, 0x01,   // QDCOUNT 1, ANCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,   // ARCOUNT 0
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 19 */ 0x00, 0x00, 0x29,         // OPT: root, TYPE 41, in the answer section
            /* 22 */ 0x04, 0xD0,               // payload 1232
            /* 24 */ 0x00, 0x00, 0x00, 0x00,   // extended RCODE, version, flags
            /* 28 */ 0x00, 0x00,               // RDLENGTH 0
        ];
        AssertMalformed(wire, DnsReadError.BadOpt, 19, walkerError: DnsReadError.None);
    }

    [Fact]
    public void Parse_OptNotOwnedByTheRoot_ThrowsBadOpt()
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x01, 0x00,   // ID, flags: RD
            /*  4 */ 0x00, 0x01, 0x00, 0x00,   // QDCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x01,   // ARCOUNT 1
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 19 */ 0xC0, 0x0C, 0x00, 0x29,   // OPT owned by a. (pointer to 12)
            /* 23 */ 0x04, 0xD0,               // payload 1232
            /* 25 */ 0x00, 0x00, 0x00, 0x00,   // extended RCODE, version, flags
            /* 29 */ 0x00, 0x00,               // RDLENGTH 0
        ];
        AssertMalformed(wire, DnsReadError.BadOpt, 19, walkerError: DnsReadError.None);
    }

    /// <summary>A query for a. with an OPT record whose data is one option: <paramref name="option"/> (code, length, data).</summary>
    private static byte[] QueryWithOption(params byte[] option)
    {
        byte[] head =
        [
            /*  0 */ 0x12, 0x34, 0x01, 0x00,   // ID, flags: RD
            /*  4 */ 0x00, 0x01, 0x00, 0x00,   // QDCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x01,   // ARCOUNT 1
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, 0x01, 0x00, 0x01,   // A IN
            /* 19 */ 0x00, 0x00, 0x29,         // OPT: root, TYPE 41
            /* 22 */ 0x04, 0xD0,               // payload 1232
            /* 24 */ 0x00, 0x00, 0x00, 0x00,   // extended RCODE, version, flags
            /* 28 */ (byte)(option.Length >> 8), (byte)option.Length, // RDLENGTH
        ];
        return [.. head, .. option]; // 30: the option
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x08, 0x00, 0x04, /* family 3 */ 0x00, 0x03, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x00, 0x08, 0x00, 0x05, /* family 0 */ 0x00, 0x00, 0x08, 0x00, 0x0A })]
    [InlineData(new byte[] { 0x00, 0x08, 0x00, 0x07, /* IPv4 /23 */ 0x00, 0x01, 0x17, 0x00, /* 192.0.3: bit 24 set */ 0xC0, 0x00, 0x03 })]
    [InlineData(new byte[] { 0x00, 0x08, 0x00, 0x06, /* IPv4 /12 */ 0x00, 0x01, 0x0C, 0x00, /* 10.31: bits past 12 set */ 0x0A, 0x1F })]
    [InlineData(new byte[] { 0x00, 0x08, 0x00, 0x08, /* IPv4 /24 */ 0x00, 0x01, 0x18, 0x00, /* 4 octets, not 3 */ 0xC0, 0x00, 0x02, 0x00 })]
    [InlineData(new byte[] { 0x00, 0x08, 0x00, 0x08, /* IPv4 /33 */ 0x00, 0x01, 0x21, 0x00, 0xC0, 0x00, 0x02, 0x00 })]
    [InlineData(new byte[] { 0x00, 0x08, 0x00, 0x04, /* IPv6 /0, scope /129 */ 0x00, 0x02, 0x00, 0x81 })]
    [InlineData(new byte[] { 0x00, 0x08, 0x00, 0x03, /* too short for family and prefixes */ 0x00, 0x01, 0x00 })]
    [InlineData(new byte[] { 0x00, 0x0F, 0x00, 0x01, /* EDE with one octet of INFO-CODE */ 0x00 })]
    public void Parse_BadOption_ThrowsBadEdnsOption(byte[] option)
    {
        AssertMalformed(QueryWithOption(option), DnsReadError.BadEdnsOption, 30, walkerError: DnsReadError.None);
    }

    [Fact]
    public void Parse_OptionLengthPastTheOptData_ThrowsBadEdnsOption()
    {
        // Option length 8 with only 2 octets of option data inside RDLENGTH 6.
        AssertMalformed(QueryWithOption(0x00, 0x0A, 0x00, 0x08, 0x01, 0x02), DnsReadError.BadEdnsOption, 30, walkerError: DnsReadError.None);
    }

    /// <summary>
    /// EXTRA-TEXT that is not UTF-8 is decoded with U+FFFD for each bad octet, and U+FFFD is three octets in UTF-8: 22000
    /// octets of 0xFF become 66000 octets of text, more than an option can hold. The reader must not pass that to a
    /// constructor that throws <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    [Fact]
    public void Parse_ExtendedErrorWithLongInvalidUtf8Text_ThrowsNothingButProtocolErrors()
    {
        int textLength = 22_000;
        byte[] option = [0x00, 0x0F, (byte)((textLength + 2) >> 8), (byte)(textLength + 2), 0x00, 0x0F, .. Enumerable.Repeat((byte)0xFF, textLength)];
        byte[] wire = QueryWithOption(option);

        var message = MalformedHarness.ExerciseAll(wire);
        if (message is not null)
        {
            var ede = Assert.IsType<ExtendedDnsErrorOption>(Assert.Single(message.Edns!.Options));
            Assert.Equal(ExtendedDnsErrorCode.Blocked, ede.InfoCode);
        }
    }

    [Fact]
    public void Parse_GoodClientSubnet_Reads()
    {
        // IPv4 /23 of 192.0.2.0: three address octets, bit 24 clear.
        byte[] wire = QueryWithOption(0x00, 0x08, 0x00, 0x07, 0x00, 0x01, 0x17, 0x00, 0xC0, 0x00, 0x02);
        var subnet = Assert.IsType<ClientSubnetOption>(Assert.Single(DnsMessage.Parse(wire).Edns!.Options));
        Assert.Equal("192.0.2.0", subnet.Address.ToString());
        Assert.Equal(23, subnet.SourcePrefixLength);
    }

    /// <summary>An answer for a. of type SVCB whose data is priority 1, target root and then <paramref name="parameters"/>.</summary>
    private static byte[] SvcbAnswer(params byte[] parameters)
    {
        int length = 3 + parameters.Length;
        byte[] head =
        [
            /*  0 */ 0x12, 0x34, 0x81, 0x80,   // ID, flags: QR RD RA
            /*  4 */ 0x00, 0x01, 0x00, 0x01,   // QDCOUNT 1, ANCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, 0x40, 0x00, 0x01,   // SVCB IN
            /* 19 */ 0xC0, 0x0C,               // NAME: pointer to 12
            /* 21 */ 0x00, 0x40, 0x00, 0x01,   // SVCB IN
            /* 25 */ 0x00, 0x00, 0x0E, 0x10,   // TTL 3600
            /* 29 */ (byte)(length >> 8), (byte)length, // RDLENGTH
            /* 31 */ 0x00, 0x01,               // SvcPriority 1
            /* 33 */ 0x00,                     // TargetName: the root
        ];
        return [.. head, .. parameters]; // 34: the SvcParams
    }

    [Fact]
    public void Parse_SvcbKeysOutOfOrder_ThrowsBadRecordData()
    {
        byte[] wire = SvcbAnswer(
            /* 34 */ 0x00, 0x03, 0x00, 0x02, 0x01, 0xBB,        // port=443
            /* 40 */ 0x00, 0x01, 0x00, 0x03, 0x02, 0x68, 0x32); // alpn=h2: key 1 after key 3
        AssertMalformed(wire, DnsReadError.BadRecordData, 40, walkerError: DnsReadError.None);
    }

    [Fact]
    public void Parse_SvcbKeyRepeated_ThrowsBadRecordData()
    {
        byte[] wire = SvcbAnswer(
            /* 34 */ 0x00, 0x03, 0x00, 0x02, 0x01, 0xBB,  // port=443
            /* 40 */ 0x00, 0x03, 0x00, 0x02, 0x00, 0x50); // port=80: key 3 again
        AssertMalformed(wire, DnsReadError.BadRecordData, 40, walkerError: DnsReadError.None);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x03, 0x00, 0x01, 0x01 })] // port of one octet
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x00 })] // empty alpn
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x03, 0x05, 0x68, 0x32 })] // alpn id longer than the value
    [InlineData(new byte[] { 0x00, 0x02, 0x00, 0x01, 0x00 })] // no-default-alpn with a value
    [InlineData(new byte[] { 0x00, 0x04, 0x00, 0x03, 0xC0, 0x00, 0x02 })] // ipv4hint of 3 octets
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x01, 0x00 })] // mandatory of an odd length
    public void Parse_SvcbParamValueMalformed_ThrowsBadRecordData(byte[] parameter)
    {
        AssertMalformed(SvcbAnswer(parameter), DnsReadError.BadRecordData, 34, walkerError: DnsReadError.None);
    }

    [Fact]
    public void Parse_CaaWithEmptyTag_ThrowsBadRecordData()
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x81, 0x80,   // ID, flags: QR RD RA
            /*  4 */ 0x00, 0x01, 0x00, 0x01,   // QDCOUNT 1, ANCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x01, 0x01, 0x00, 0x01,   // CAA IN
            /* 19 */ 0xC0, 0x0C,               // NAME: pointer to 12
            /* 21 */ 0x01, 0x01, 0x00, 0x01,   // CAA IN
            /* 25 */ 0x00, 0x00, 0x0E, 0x10,   // TTL 3600
            /* 29 */ 0x00, 0x04,               // RDLENGTH 4
            /* 31 */ 0x00, 0x00, 0x61, 0x62,   // flags 0, tag length 0, value "ab"
        ];
        AssertMalformed(wire, DnsReadError.BadRecordData, 31, walkerError: DnsReadError.None);
    }

    [Fact]
    public void Parse_TxtStringPastRdata_ThrowsTruncated()
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x81, 0x80,   // ID, flags: QR RD RA
            /*  4 */ 0x00, 0x01, 0x00, 0x01,   // QDCOUNT 1, ANCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, 0x10, 0x00, 0x01,   // TXT IN
            /* 19 */ 0xC0, 0x0C,               // NAME: pointer to 12
            /* 21 */ 0x00, 0x10, 0x00, 0x01,   // TXT IN
            /* 25 */ 0x00, 0x00, 0x0E, 0x10,   // TTL 3600
            /* 29 */ 0x00, 0x03,               // RDLENGTH 3
            /* 31 */ 0x05, 0x61, 0x62,         // a string of 5 with 2 octets inside RDATA
            /* 34 */ 0x63, 0x64, 0x65,         // (the rest lies past RDLENGTH)
        ];

        // The string reader stops at RDATA's end: the string's octets start at 32. RDLENGTH itself is fine, so the
        // walker, which checks framing only and not what follows the last record, has no complaint.
        AssertMalformed(wire, DnsReadError.Truncated, 32, walkerError: DnsReadError.None);
    }

    [Fact]
    public void Parse_NameInRdataRunningPastRdlength_ThrowsTruncated()
    {
        byte[] wire =
        [
            /*  0 */ 0x12, 0x34, 0x81, 0x80,   // ID, flags: QR RD RA
            /*  4 */ 0x00, 0x01, 0x00, 0x01,   // QDCOUNT 1, ANCOUNT 1
            /*  8 */ 0x00, 0x00, 0x00, 0x00,
            /* 12 */ 0x01, 0x61, 0x00,         // QNAME a.
            /* 15 */ 0x00, 0x05, 0x00, 0x01,   // CNAME IN
            /* 19 */ 0xC0, 0x0C,               // NAME: pointer to 12
            /* 21 */ 0x00, 0x05, 0x00, 0x01,   // CNAME IN
            /* 25 */ 0x00, 0x00, 0x0E, 0x10,   // TTL 3600
            /* 29 */ 0x00, 0x02,               // RDLENGTH 2
            /* 31 */ 0x01, 0x62,               // label "b" ... and its root lies past RDLENGTH
            /* 33 */ 0x00,
        ];
        AssertMalformed(wire, DnsReadError.Truncated, 33, walkerError: DnsReadError.None);
    }

    /// <summary>
    /// Parse must throw exactly <see cref="DnsProtocolException"/> with <paramref name="error"/> at
    /// <paramref name="offset"/>; the walker, which checks framing only, must stop with <paramref name="walkerError"/>;
    /// and no reader may throw anything else.
    /// </summary>
    private static void AssertMalformed(byte[] wire, DnsReadError error, int offset, DnsReadError walkerError)
    {
        var e = Assert.Throws<DnsProtocolException>(() => DnsMessage.Parse(wire));
        Assert.Equal(error, e.Error);
        Assert.Equal(offset, e.Offset);
        Assert.Contains($"offset {offset}", e.Message, StringComparison.Ordinal);

        Assert.Equal(walkerError, MalformedHarness.Walk(wire));
        MalformedHarness.ExerciseAll(wire);
    }
}
