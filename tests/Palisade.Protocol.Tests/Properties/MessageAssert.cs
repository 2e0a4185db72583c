namespace Palisade.Protocol.Tests.Properties;

/// <summary>Compares two messages field by field, so that a failure says which part differs.</summary>
internal static class MessageAssert
{
    public static void Equal(DnsMessage expected, DnsMessage actual)
    {
        Assert.Equal(expected.Header.Id, actual.Header.Id);
        Assert.Equal(expected.Header.Flags, actual.Header.Flags);
        Assert.Equal(expected.Questions, actual.Questions);
        Assert.Equal(expected.Answers, actual.Answers);
        Assert.Equal(expected.Authorities, actual.Authorities);
        Assert.Equal(expected.Additionals, actual.Additionals);
        EdnsEqual(expected.Edns, actual.Edns);
    }

    /// <summary>The counts a parsed message's header carries match its sections.</summary>
    public static void CountsMatchSections(DnsMessage parsed)
    {
        Assert.Equal(parsed.Questions.Count, parsed.Header.QuestionCount);
        Assert.Equal(parsed.Answers.Count, parsed.Header.AnswerCount);
        Assert.Equal(parsed.Authorities.Count, parsed.Header.AuthorityCount);
        Assert.Equal(parsed.Additionals.Count + (parsed.Edns is null ? 0 : 1), parsed.Header.AdditionalCount);
    }

    public static void EdnsEqual(DnsEdns? expected, DnsEdns? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.UdpPayloadSize, actual.UdpPayloadSize);
        Assert.Equal(expected.ExtendedResponseCode, actual.ExtendedResponseCode);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.DnssecOk, actual.DnssecOk);
        Assert.Equal(expected.Options, actual.Options);
        for (int i = 0; i < expected.Options.Count; i++)
        {
            Assert.IsType(expected.Options[i].GetType(), actual.Options[i]);
            if (expected.Options[i] is ExtendedDnsErrorOption ede)
            {
                var read = (ExtendedDnsErrorOption)actual.Options[i];
                Assert.Equal(ede.InfoCode, read.InfoCode);
                Assert.Equal(ede.ExtraText, read.ExtraText);
            }
            else if (expected.Options[i] is ClientSubnetOption subnet)
            {
                var read = (ClientSubnetOption)actual.Options[i];
                Assert.Equal(subnet.Address, read.Address);
                Assert.Equal(subnet.SourcePrefixLength, read.SourcePrefixLength);
                Assert.Equal(subnet.ScopePrefixLength, read.ScopePrefixLength);
            }
        }
    }
}
