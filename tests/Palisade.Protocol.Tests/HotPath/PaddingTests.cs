namespace Palisade.Protocol.Tests.HotPath;

public sealed class PaddingTests
{
    [Theory]
    [InlineData("a.example", 128)]
    [InlineData("a-much-longer-name-than-the-other.sub.example.org", 128)]
    [InlineData("x", 468)]
    public void TryPad_QueryEndingInOpt_PadsToTheBlockAndStaysReadable(string name, int block)
    {
        byte[] buffer = new byte[1024];
        int length = WriteQuery(buffer, name);
        int before = length;

        Assert.True(DnsOptEditor.TryPad(buffer, ref length, block));

        Assert.Equal(0, length % block);
        Assert.True(length > before);
        var message = DnsMessage.Parse(buffer.AsSpan(0, length));
        var padding = Assert.IsType<PaddingOption>(Assert.Single(message.Edns!.Options));
        Assert.Equal(length - before - 4, padding.Length);
        Assert.Equal(DnsName.Parse(name), message.Questions[0].Name);
    }

    [Fact]
    public void TryPad_LengthAlreadyAFitAfterTheOptionHeader_AddsAnEmptyOption()
    {
        byte[] buffer = new byte[1024];
        int length = WriteQuery(buffer, "a.example");
        int block = length + 4;

        Assert.True(DnsOptEditor.TryPad(buffer, ref length, block));

        Assert.Equal(block, length);
        Assert.Equal(0, Assert.IsType<PaddingOption>(Assert.Single(DnsMessage.Parse(buffer.AsSpan(0, length)).Edns!.Options)).Length);
    }

    [Fact]
    public void TryPad_NoRoom_FalseAndUnchanged()
    {
        byte[] buffer = new byte[64];
        int length = WriteQuery(buffer, "a.example");
        byte[] copy = buffer[..length];

        Assert.False(DnsOptEditor.TryPad(buffer, ref length, 128));

        Assert.Equal(copy, buffer[..length]);
    }

    [Fact]
    public void TryPad_NoOpt_False()
    {
        var message = new DnsMessage { Header = new DnsHeader { Id = 1, QuestionCount = 1 } };
        message.Questions.Add(new DnsQuestion(DnsName.Parse("a.example"), DnsRecordType.A, DnsClass.IN));
        byte[] buffer = new byte[512];
        Assert.True(message.TryWrite(buffer, out int length));

        Assert.False(DnsOptEditor.TryPad(buffer, ref length, 128));
    }

    private static int WriteQuery(byte[] buffer, string name)
    {
        var message = new DnsMessage { Header = new DnsHeader { Id = 7, RecursionDesired = true } };
        message.Questions.Add(new DnsQuestion(DnsName.Parse(name), DnsRecordType.A, DnsClass.IN));
        message.Edns = new DnsEdns { UdpPayloadSize = 1232 };
        Assert.True(message.TryWrite(buffer, out int length));
        return length;
    }
}
