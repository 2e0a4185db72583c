namespace Palisade.Protocol.Tests.Malformed;

/// <summary>Every proper prefix of a well-formed message is malformed: the counts promise more than is there.</summary>
public sealed class TruncationTests
{
    [Theory]
    [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
    public void Parse_WholeSample_Succeeds(string name)
    {
        byte[] wire = SampleMessages.All[name];
        var message = DnsMessage.Parse(wire);
        Assert.Equal(DnsReadError.None, MalformedHarness.Walk(wire));
        MalformedHarness.AssertRoundTrips(message, wire);
    }

    [Theory]
    [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
    public void Parse_EveryPrefix_ThrowsTruncatedOrBadRecordLength(string name)
    {
        byte[] wire = SampleMessages.All[name];
        for (int length = 0; length < wire.Length; length++)
        {
            byte[] prefix = wire[..length];
            var e = Assert.Throws<DnsProtocolException>(() => DnsMessage.Parse(prefix));
            Assert.True(
                e.Error is DnsReadError.Truncated or DnsReadError.BadRecordLength,
                $"prefix of {length} octets: {e.Error} at {e.Offset}");
            Assert.InRange(e.Offset, 0, length);
        }
    }

    [Theory]
    [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
    public void HotPath_EveryPrefix_SaysFalseWithoutThrowing(string name)
    {
        byte[] wire = SampleMessages.All[name];
        for (int length = 0; length < wire.Length; length++)
        {
            byte[] prefix = wire[..length];
            MalformedHarness.ExerciseAll(prefix);

            var error = MalformedHarness.Walk(prefix);
            Assert.True(error is DnsReadError.Truncated or DnsReadError.BadRecordLength, $"prefix of {length} octets: walker says {error}");
            Assert.False(DnsMessageInspector.TryFindTtlOffsets(prefix, new ushort[64], out _), $"prefix of {length} octets");
            Assert.False(DnsMessageInspector.TryGetOpt(prefix, out _), $"prefix of {length} octets");
        }
    }
}
