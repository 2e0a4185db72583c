namespace Palisade.Protocol.Tests.Properties;

/// <summary>
/// Smallest cases of what <see cref="MessageProperties"/> found: a name whose later label repeats an earlier one. While
/// label k is written the writer compares it against the name's own earlier labels; when label k-1 equals label k the
/// comparison walks on into the octet at the write position, which is not written yet. Whatever the buffer held there
/// decides the output: a 0 makes the writer emit a pointer back into the same name, which no reader accepts.
/// </summary>
public sealed class CompressionRegressionTests
{
    [Theory]
    [InlineData("a.a.")]
    [InlineData("x.y.x.y.")]
    [InlineData("www.www.example.")]
    [InlineData("Example.example.")]
    public void TryWrite_NameWithRepeatedLabelIntoZeroedBuffer_ReadsBack(string text)
    {
        var message = new DnsMessage { Id = 1 };
        message.Questions.Add(new DnsQuestion(DnsName.Parse(text), DnsRecordType.A));
        byte[] buffer = new byte[512];

        Assert.True(message.TryWrite(buffer, out int written));

        var parsed = DnsMessage.Parse(buffer.AsSpan(0, written));
        Assert.True(message.Questions[0].Name.EqualsExact(parsed.Questions[0].Name));
    }

    [Theory]
    [InlineData("a.a.")]
    [InlineData("x.y.x.y.")]
    public void TryWrite_NameWithRepeatedLabel_DoesNotDependOnWhatTheBufferHeld(string text)
    {
        var message = new DnsMessage { Id = 1 };
        message.Questions.Add(new DnsQuestion(DnsName.Parse(text), DnsRecordType.A));
        byte[] zeros = new byte[512];
        byte[] ones = new byte[512];
        ones.AsSpan().Fill(0xFF);

        Assert.True(message.TryWrite(zeros, out int zerosWritten));
        Assert.True(message.TryWrite(ones, out int onesWritten));

        Assert.Equal(ones.AsSpan(0, onesWritten).ToArray(), zeros.AsSpan(0, zerosWritten).ToArray());
    }
}
