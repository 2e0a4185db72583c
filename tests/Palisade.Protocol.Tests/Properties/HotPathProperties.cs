using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Palisade.Protocol.Tests.Properties;

/// <summary>The allocation-free readers and patchers agree with the general reader on written messages.</summary>
public sealed class HotPathProperties
{
    private static readonly Gen<uint> Seconds = Gen.Frequency(
        (3, Gen.Choose(0, 100_000).Select(i => (uint)i)),
        (1, DnsGenerators.UInt32));

    [Property(MaxTest = 250)]
    public Property TryFindTtlOffsets_WrittenMessage_FindsEveryNonOptTtl() =>
        Prop.ForAll(Arb.From(DnsGenerators.Message), message =>
        {
            byte[] wire = message.ToArray();
            var expected = ExpectedTtlOffsets(wire);

            ushort[] offsets = new ushort[64];
            Assert.True(DnsMessageInspector.TryFindTtlOffsets(wire, offsets, out int count));
            Assert.Equal(expected, offsets[..count].Select(o => (int)o).ToList());

            if (count > 0)
            {
                // A table one short is a false, not an overrun.
                Assert.False(DnsMessageInspector.TryFindTtlOffsets(wire, new ushort[count - 1], out _));
            }
        });

    [Property(MaxTest = 250)]
    public Property SubtractFromTtls_FoundOffsets_LowersEveryTtlStoppingAtZero() =>
        Prop.ForAll(Arb.From(from message in DnsGenerators.Message from seconds in Seconds select (message, seconds)), pair =>
        {
            var (message, seconds) = pair;
            byte[] wire = message.ToArray();
            ushort[] offsets = new ushort[64];
            Assert.True(DnsMessageInspector.TryFindTtlOffsets(wire, offsets, out int count));

            DnsMessagePatcher.SubtractFromTtls(wire, offsets.AsSpan(0, count), seconds);

            var patched = DnsMessage.Parse(wire);
            var expected = DnsGenerators.MakeMessage(
                message.Header,
                [.. message.Questions],
                [.. message.Answers.Select(Lower)],
                [.. message.Authorities.Select(Lower)],
                [.. message.Additionals.Select(Lower)],
                message.Edns);
            MessageAssert.Equal(expected, patched);

            DnsResourceRecord Lower(DnsResourceRecord r) => r.WithTtl(r.Ttl > seconds ? r.Ttl - seconds : 0);
        });

    [Property(MaxTest = 200)]
    public Property TryGetMinimumAnswerTtl_WrittenMessage_IsTheLowestAnswerTtl() =>
        Prop.ForAll(Arb.From(DnsGenerators.Message), message =>
        {
            byte[] wire = message.ToArray();
            bool found = DnsMessageInspector.TryGetMinimumAnswerTtl(wire, out uint ttl);
            Assert.Equal(message.Answers.Count > 0, found);
            Assert.Equal(found ? message.Answers.Min(r => r.Ttl) : 0u, ttl);
        });

    [Property(MaxTest = 200)]
    public Property TryGetOpt_WrittenMessage_GivesTheEdnsFacts() =>
        Prop.ForAll(Arb.From(DnsGenerators.Message), message =>
        {
            byte[] wire = message.ToArray();
            bool found = DnsMessageInspector.TryGetOpt(wire, out var opt);
            Assert.Equal(message.Edns is not null, found);
            if (message.Edns is { } edns)
            {
                Assert.Equal(edns.UdpPayloadSize, opt.UdpPayloadSize);
                Assert.Equal(edns.ExtendedResponseCode, opt.ExtendedResponseCode);
                Assert.Equal(edns.Version, opt.Version);
                Assert.Equal(edns.Flags, opt.Flags);
                Assert.Equal(edns.DnssecOk, opt.DnssecOk);
                Assert.Equal(edns.Options.Sum(o => 4 + o.DataLength), opt.DataLength);
                Assert.Equal(wire.Length, opt.DataOffset + opt.DataLength);
                Assert.Equal(0, wire[opt.RecordOffset]);
            }
        });

    [Property(MaxTest = 200)]
    public Property TryGetNegativeTtl_WrittenMessage_IsTheFirstAuthoritySoaBound() =>
        Prop.ForAll(Arb.From(DnsGenerators.Message), message =>
        {
            byte[] wire = message.ToArray();
            bool found = DnsMessageInspector.TryGetNegativeTtl(wire, out uint ttl);
            var soa = message.Authorities.FirstOrDefault(r => r.Data is SoaRecordData);
            Assert.Equal(soa is not null, found);
            if (soa is not null)
            {
                Assert.Equal(Math.Min(soa.Ttl, ((SoaRecordData)soa.Data).Minimum), ttl);
            }
        });

    [Property(MaxTest = 200)]
    public Property TryWriteResponse_WrittenQuery_EchoesQuestionAndOpt() =>
        Prop.ForAll(Arb.From(DnsGenerators.Query), query =>
        {
            byte[] wire = query.ToArray();
            byte[] destination = new byte[DnsConstants.MaxMessageSize];
            var code = query.Edns is null ? DnsResponseCode.Refused : DnsResponseCode.BadCookie;
            Assert.True(DnsResponseFactory.TryWriteResponse(wire, code, destination, out int written, ExtendedDnsErrorCode.Blocked));

            var response = DnsMessage.Parse(destination.AsSpan(0, written));
            Assert.Equal(query.Id, response.Id);
            Assert.True(response.Header.IsResponse);
            Assert.Equal(query.Header.Opcode, response.Header.Opcode);
            Assert.Equal(query.Header.RecursionDesired, response.Header.RecursionDesired);
            Assert.Equal(query.Header.CheckingDisabled, response.Header.CheckingDisabled);
            Assert.Equal(code, response.ResponseCode);
            var question = Assert.Single(response.Questions);
            Assert.True(query.Questions[0].Name.EqualsExact(question.Name));
            Assert.Equal(query.Questions[0], question);
            Assert.Equal(query.Edns is not null, response.Edns is not null);
            if (query.Edns is not null)
            {
                Assert.Equal(query.Edns.DnssecOk, response.Edns!.DnssecOk);
                var ede = Assert.IsType<ExtendedDnsErrorOption>(Assert.Single(response.Edns.Options));
                Assert.Equal(ExtendedDnsErrorCode.Blocked, ede.InfoCode);
            }
        });

    /// <summary>The TTL offsets as the general reader finds them, record by record, OPT's excepted.</summary>
    private static List<int> ExpectedTtlOffsets(byte[] wire)
    {
        var offsets = new List<int>();
        var reader = new DnsMessageReader(wire);
        var header = reader.ReadHeader();
        for (int i = 0; i < header.QuestionCount; i++)
        {
            reader.ReadQuestion();
        }

        int records = header.AnswerCount + header.AuthorityCount + header.AdditionalCount;
        for (int i = 0; i < records; i++)
        {
            reader.SkipName();
            var type = (DnsRecordType)reader.ReadUInt16();
            reader.ReadUInt16();
            if (type != DnsRecordType.OPT)
            {
                offsets.Add(reader.Position);
            }

            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(wire.AsSpan(reader.Position)), reader.ReadUInt32());
            reader.ReadRecordData(type, out _);
        }

        Assert.Equal(0, reader.Remaining);
        return offsets;
    }
}
