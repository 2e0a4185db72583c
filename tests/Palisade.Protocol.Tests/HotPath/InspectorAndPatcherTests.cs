using System.Buffers.Binary;
using Palisade.Protocol.Tests.Vectors;

namespace Palisade.Protocol.Tests.HotPath;

public sealed class InspectorAndPatcherTests
{
    [Fact]
    public void TryFindTtlOffsets_CnameChain_FindsEveryRecordButOpt()
    {
        var vector = VectorFile.Instance["response-cname-chain"];
        byte[] wire = vector.WireBytes;
        Span<ushort> offsets = stackalloc ushort[32];
        Assert.True(DnsMessageInspector.TryFindTtlOffsets(wire, offsets, out int count));

        var expected = vector.Answer.Concat(vector.Authority).Concat(vector.Additional).Select(r => r.Ttl).ToList();
        Assert.Equal(expected.Count, count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(expected[i], BinaryPrimitives.ReadUInt32BigEndian(wire.AsSpan(offsets[i])));
        }
    }

    [Fact]
    public void TryFindTtlOffsets_TooSmallBuffer_False()
    {
        byte[] wire = VectorFile.Instance["response-a-multi"].WireBytes;
        Span<ushort> offsets = stackalloc ushort[1];
        Assert.False(DnsMessageInspector.TryFindTtlOffsets(wire, offsets, out _));
    }

    [Fact]
    public void SubtractFromTtls_StoredResponse_LowersEveryTtlAndStopsAtZero()
    {
        var vector = VectorFile.Instance["response-cname-chain"];
        byte[] wire = vector.WireBytes;
        Span<ushort> offsets = stackalloc ushort[32];
        Assert.True(DnsMessageInspector.TryFindTtlOffsets(wire, offsets, out int count));
        uint lowest = vector.Answer.Min(r => (uint)r.Ttl);

        DnsMessagePatcher.SubtractFromTtls(wire, offsets[..count], lowest + 1);

        var message = DnsMessage.Parse(wire);
        var original = DnsMessage.Parse(vector.WireBytes);
        for (int i = 0; i < message.Answers.Count; i++)
        {
            uint before = original.Answers[i].Ttl;
            Assert.Equal(before > lowest + 1 ? before - lowest - 1 : 0u, message.Answers[i].Ttl);
        }

        Assert.Contains(message.Answers, r => r.Ttl == 0);
        DnsMessagePatcher.SetTtls(wire, offsets[..count], 30);
        Assert.All(DnsMessage.Parse(wire).Answers, r => Assert.Equal(30u, r.Ttl));
    }

    [Fact]
    public void TryGetMinimumAnswerTtl_MatchesTheLowestAnswerTtl()
    {
        var vector = VectorFile.Instance["response-cname-chain"];
        Assert.True(DnsMessageInspector.TryGetMinimumAnswerTtl(vector.WireBytes, out uint ttl));
        Assert.Equal(vector.Answer.Min(r => r.Ttl), ttl);
        Assert.False(DnsMessageInspector.TryGetMinimumAnswerTtl(VectorFile.Instance["response-nxdomain"].WireBytes, out _));
    }

    [Theory]
    [InlineData("response-nxdomain")]
    [InlineData("response-nodata")]
    public void TryGetNegativeTtl_IsTheLesserOfSoaTtlAndMinimum(string name)
    {
        var vector = VectorFile.Instance[name];
        var soa = DnsMessage.Parse(vector.WireBytes).Authorities.Single(r => r.Type == DnsRecordType.SOA);
        Assert.True(DnsMessageInspector.TryGetNegativeTtl(vector.WireBytes, out uint ttl));
        Assert.Equal(Math.Min(soa.Ttl, ((SoaRecordData)soa.Data).Minimum), ttl);
    }

    [Fact]
    public void TryGetNegativeTtl_NoSoa_False() =>
        Assert.False(DnsMessageInspector.TryGetNegativeTtl(VectorFile.Instance["response-a-multi"].WireBytes, out _));

    [Fact]
    public void TryGetOpt_QueryWithDo_ReadsPayloadAndDo()
    {
        var vector = VectorFile.Instance["query-edns-do"];
        Assert.True(DnsMessageInspector.TryGetOpt(vector.WireBytes, out var opt));
        Assert.Equal(vector.Edns!.Payload, opt.UdpPayloadSize);
        Assert.True(opt.DnssecOk);
        Assert.Equal(0, opt.Version);
        Assert.False(DnsMessageInspector.TryGetOpt(VectorFile.Instance["query-a-rd"].WireBytes, out _));
    }

    [Fact]
    public void TryCopyQuestionCase_MixedCaseQuery_ResponseEchoesItExactly()
    {
        var query = DnsMessage.Parse(VectorFile.Instance["query-mixed-case"].WireBytes);
        var stored = DnsResponseFactory.CreateResponse(new DnsMessage
        {
            Header = query.Header,
            Questions = { new DnsQuestion(query.Questions[0].Name.ToLowerInvariant(), query.Questions[0].Type) },
        });
        stored.Answers.Add(new DnsResourceRecord(query.Questions[0].Name.ToLowerInvariant(), 60, new ARecordData(System.Net.IPAddress.Parse("192.0.2.7"))));
        byte[] response = stored.ToArray();

        Assert.True(DnsMessagePatcher.TryCopyQuestionCase(response, VectorFile.Instance["query-mixed-case"].WireBytes));
        DnsMessagePatcher.SetId(response, 0xBEEF);

        var patched = DnsMessage.Parse(response);
        Assert.Equal(0xBEEF, patched.Id);
        Assert.True(patched.Questions[0].Name.EqualsExact(query.Questions[0].Name));
        Assert.True(patched.Answers[0].Name.EqualsExact(query.Questions[0].Name), "the compressed owner follows the question's case");
    }

    [Fact]
    public void TryCopyQuestionCase_DifferentName_FalseAndUnchanged()
    {
        byte[] response = VectorFile.Instance["response-mx"].WireBytes;
        byte[] before = (byte[])response.Clone();
        Assert.False(DnsMessagePatcher.TryCopyQuestionCase(response, VectorFile.Instance["query-mixed-case"].WireBytes));
        Assert.Equal(before, response);
    }

    [Fact]
    public void TryReadQuestion_Query_GivesNameTypeAndClassWithoutAllocating()
    {
        byte[] wire = VectorFile.Instance["query-edns-do"].WireBytes;
        var reader = new DnsMessageReader(wire);
        Assert.True(reader.TryReadHeader(out _));
        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool read = reader.TryReadQuestion(name, out var question);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(read);
        Assert.Equal(0, allocated);
        var expected = DnsMessage.Parse(wire).Questions[0];
        Assert.Equal(expected.Name.WireBytes.ToArray(), name[..question.NameLength].ToArray());
        Assert.Equal(expected.Type, question.Type);
        Assert.Equal(expected.Class, question.Class);
        Assert.Equal(DnsConstants.HeaderSize, question.NameOffset);
    }
}
