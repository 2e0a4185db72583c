using System.Net;

namespace Palisade.Protocol.Tests.Messages;

public sealed class DnsMessageWriterTests
{
    [Fact]
    public void WriteName_RepeatedSuffix_IsCompressedToAPointer()
    {
        Span<byte> buffer = stackalloc byte[128];
        Span<ushort> table = stackalloc ushort[16];
        var writer = new DnsMessageWriter(buffer, table);
        writer.WriteHeader(default);
        writer.WriteName(DnsName.Parse("www.example.com"));
        int second = writer.Position;
        writer.WriteName(DnsName.Parse("mail.EXAMPLE.com"));

        // offset 12: 03 www 07 example 03 com 00 (17 octets); then 04 mail C0 10 (a pointer to "example.com" at 16).
        Assert.Equal(12 + 17, second);
        Assert.Equal(new byte[] { 4, (byte)'m', (byte)'a', (byte)'i', (byte)'l', 0xC0, 16 }, writer.Written[second..].ToArray());
    }

    [Fact]
    public void WriteName_WithoutTable_NeverCompresses()
    {
        Span<byte> buffer = stackalloc byte[128];
        var writer = new DnsMessageWriter(buffer);
        writer.WriteName(DnsName.Parse("example.com"));
        writer.WriteName(DnsName.Parse("example.com"));
        Assert.Equal(26, writer.Position);
    }

    [Fact]
    public void Overflow_StopsWritingAndRewindRecovers()
    {
        Span<byte> buffer = stackalloc byte[40];
        var writer = new DnsMessageWriter(buffer);
        writer.WriteHeader(default);
        int boundary = writer.Position;
        var record = new DnsResourceRecord(DnsName.Parse("a-rather-long-name.example.com"), 60, new ARecordData(IPAddress.Loopback));
        writer.WriteRecord(record);
        Assert.True(writer.HasOverflowed);

        writer.Rewind(boundary);
        Assert.False(writer.HasOverflowed);
        Assert.Equal(boundary, writer.Position);
    }

    [Fact]
    public void TryWrite_TooSmall_False()
    {
        var message = new DnsMessage { Questions = { new DnsQuestion(DnsName.Parse("example.com"), DnsRecordType.A) } };
        Assert.False(message.TryWrite(new byte[20], out int written));
        Assert.Equal(0, written);
        Assert.True(message.TryWrite(new byte[64], out written));
        Assert.Equal(29, written);
    }

    [Fact]
    public void ResponseCode_Extended_NeedsEdns()
    {
        var message = new DnsMessage();
        Assert.Throws<InvalidOperationException>(() => message.ResponseCode = DnsResponseCode.BadVersion);
        message.Edns = new DnsEdns();
        message.ResponseCode = DnsResponseCode.BadVersion;
        var read = DnsMessage.Parse(message.ToArray());
        Assert.Equal(DnsResponseCode.BadVersion, read.ResponseCode);
        Assert.Equal(0, read.Header.ResponseCodeLow);
        Assert.Equal(1, read.Edns!.ExtendedResponseCode);
    }
}
