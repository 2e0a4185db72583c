using System.Net;
using Palisade.Protocol.Tests.Vectors;

namespace Palisade.Protocol.Tests.Messages;

public sealed class DnsResponseFactoryTests
{
    [Theory]
    [InlineData(DnsResponseCode.NameError)]
    [InlineData(DnsResponseCode.Refused)]
    [InlineData(DnsResponseCode.ServerFailure)]
    [InlineData(DnsResponseCode.FormatError)]
    [InlineData(DnsResponseCode.NotImplemented)]
    public void TryWriteResponse_QueryWithEdns_EchoesIdQuestionRdAndOpt(DnsResponseCode code)
    {
        byte[] query = VectorFile.Instance["query-edns-do"].WireBytes;
        var parsedQuery = DnsMessage.Parse(query);
        Span<byte> buffer = stackalloc byte[512];

        Assert.True(DnsResponseFactory.TryWriteResponse(query, code, buffer, out int written));

        var response = DnsMessage.Parse(buffer[..written]);
        Assert.Equal(parsedQuery.Id, response.Id);
        Assert.True(response.Header.IsResponse);
        Assert.True(response.Header.RecursionAvailable);
        Assert.Equal(parsedQuery.Header.RecursionDesired, response.Header.RecursionDesired);
        Assert.Equal(code, response.ResponseCode);
        Assert.Equal(parsedQuery.Questions, response.Questions);
        Assert.Empty(response.Answers);
        Assert.NotNull(response.Edns);
        Assert.Equal(DnsConstants.AdvertisedUdpPayloadSize, response.Edns.UdpPayloadSize);
        Assert.True(response.Edns.DnssecOk);
    }

    [Fact]
    public void TryWriteResponse_QueryWithoutEdns_HasNoOpt()
    {
        byte[] query = VectorFile.Instance["query-a-rd"].WireBytes;
        Span<byte> buffer = stackalloc byte[512];
        Assert.True(DnsResponseFactory.TryWriteResponse(query, DnsResponseCode.Refused, buffer, out int written));
        var response = DnsMessage.Parse(buffer[..written]);
        Assert.Null(response.Edns);
        Assert.Equal(DnsResponseCode.Refused, response.ResponseCode);
    }

    [Fact]
    public void TryWriteResponse_ExtendedCodeAndEde_CarriedInOpt()
    {
        byte[] query = VectorFile.Instance["query-edns-do"].WireBytes;
        Span<byte> buffer = stackalloc byte[512];
        Assert.True(DnsResponseFactory.TryWriteResponse(query, DnsResponseCode.BadVersion, buffer, out int written, ExtendedDnsErrorCode.Blocked));
        var response = DnsMessage.Parse(buffer[..written]);
        Assert.Equal(DnsResponseCode.BadVersion, response.ResponseCode);
        Assert.Equal(ExtendedDnsErrorCode.Blocked, response.Edns!.GetOption<ExtendedDnsErrorOption>()!.InfoCode);
        Assert.Throws<ArgumentException>(() => DnsResponseFactory.TryWriteResponse(VectorFile.Instance["query-a-rd"].WireBytes, DnsResponseCode.BadVersion, new byte[512], out _));
    }

    [Fact]
    public void TryWriteResponse_UnreadableQuestion_FormErrWithHeaderOnly()
    {
        // Header claims one question, but the name's label runs past the end.
        byte[] query = [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x05, (byte)'a'];
        Span<byte> buffer = stackalloc byte[512];
        Assert.True(DnsResponseFactory.TryWriteResponse(query, DnsResponseCode.FormatError, buffer, out int written));
        Assert.Equal(DnsConstants.HeaderSize, written);
        var response = DnsMessage.Parse(buffer[..written]);
        Assert.Equal(0x1234, response.Id);
        Assert.Empty(response.Questions);
        Assert.False(DnsResponseFactory.TryWriteResponse(query.AsSpan(0, 5), DnsResponseCode.FormatError, buffer, out _));
    }

    [Fact]
    public void CreateResponse_WithAnswers_WritesReadableAnswer()
    {
        var query = DnsMessage.Parse(VectorFile.Instance["query-edns-do"].WireBytes);
        var name = query.Questions[0].Name;
        var response = DnsResponseFactory.CreateResponse(query, [new DnsResourceRecord(name, 300, new ARecordData(IPAddress.Parse("192.0.2.1")))]);

        var read = DnsMessage.Parse(response.ToArray());
        Assert.Equal(query.Id, read.Id);
        Assert.Equal(DnsResponseCode.NoError, read.ResponseCode);
        Assert.Equal("192.0.2.1", read.Answers.Single().Data.ToString());
        Assert.True(read.Edns!.DnssecOk);
    }

    [Fact]
    public void ToString_Response_LooksLikeDig()
    {
        string text = DnsMessage.Parse(VectorFile.Instance["response-cname-chain"].WireBytes).ToString();
        Assert.Contains(";; ->>HEADER<<- opcode: QUERY, status: NOERROR", text, StringComparison.Ordinal);
        Assert.Contains(";; ANSWER SECTION:", text, StringComparison.Ordinal);
        Assert.Matches(@"\tIN\tCNAME\t", text);
    }
}
