using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Palisade.Protocol.Tests.Properties;

/// <summary>Whole messages, with every typed record kind and EDNS option, survive writing and reading.</summary>
public sealed class MessageProperties
{
    [Property(MaxTest = 250)]
    public Property Parse_WrittenMessage_GivesAnEqualMessage() =>
        Prop.ForAll(Arb.From(DnsGenerators.Message), message =>
        {
            byte[] wire = message.ToArray();
            var parsed = DnsMessage.Parse(wire);
            MessageAssert.Equal(message, parsed);
            MessageAssert.CountsMatchSections(parsed);
            if (message.Questions.Count > 0)
            {
                // The first name of a message is never compressed, so it keeps its case exactly.
                Assert.True(message.Questions[0].Name.EqualsExact(parsed.Questions[0].Name));
            }
        });

    [Property(MaxTest = 250)]
    public Property ToArray_WrittenTwice_GivesIdenticalOctets() =>
        Prop.ForAll(Arb.From(DnsGenerators.Message), message =>
        {
            byte[] first = message.ToArray();
            byte[] second = message.ToArray();
            Assert.Equal(first, second);

            // And the message read back writes the very same octets: compression decisions do not depend on case.
            byte[] rewritten = DnsMessage.Parse(first).ToArray();
            Assert.Equal(first, rewritten);
        });

    [Property(MaxTest = 200)]
    public Property TryWrite_IntoExactAndShortBuffers_FitsOrSaysNo() =>
        Prop.ForAll(Arb.From(DnsGenerators.Message), message =>
        {
            byte[] wire = message.ToArray();
            byte[] exact = new byte[wire.Length];
            Assert.True(message.TryWrite(exact, out int written));
            Assert.Equal(wire.Length, written);
            Assert.Equal(wire, exact);

            byte[] tooShort = new byte[wire.Length - 1];
            Assert.False(message.TryWrite(tooShort, out written));
            Assert.Equal(0, written);
        });

    [Property(MaxTest = 250)]
    public Property RecordData_ToWire_EqualsTheDataInAWrittenMessageWhenUncompressed() =>
        Prop.ForAll(Arb.From(DnsGenerators.Record), record =>
        {
            // A record alone after a root question: nothing to compress against but itself. Compression matches names
            // without case (as dnspython's does), so an RDATA name that repeats the owner's suffix in another case
            // comes back in the owner's case: the octets are equal once ASCII letters are folded.
            var message = DnsGenerators.MakeMessage(default, [], [record], [], [], null);
            var parsed = DnsMessage.Parse(message.ToArray());
            var read = Assert.Single(parsed.Answers);
            Assert.Equal(record, read);
            Assert.Equal(FoldAscii(record.Data.ToWire()), FoldAscii(read.Data.ToWire()));
            Assert.Equal(record.Data.GetHashCode(), read.Data.GetHashCode());
            Assert.Equal(record.GetHashCode(), read.GetHashCode());
        });

    [Property(MaxTest = 250)]
    public Property TryReadQuestion_WrittenQuery_GivesTheQuestionNameOctets() =>
        Prop.ForAll(Arb.From(DnsGenerators.Query), query =>
        {
            byte[] wire = query.ToArray();
            var question = query.Questions[0];
            var reader = new DnsMessageReader(wire);
            Assert.True(reader.TryReadHeader(out var header));
            Assert.Equal(1, header.QuestionCount);

            byte[] name = new byte[DnsConstants.MaxNameLength];
            Assert.True(reader.TryReadQuestion(name, out var info));
            Assert.Equal(DnsConstants.HeaderSize, info.NameOffset);
            Assert.Equal(question.Name.WireLength, info.NameLength);
            Assert.Equal(question.Name.WireBytes.ToArray(), name[..info.NameLength]);
            Assert.Equal(question.Type, info.Type);
            Assert.Equal(question.Class, info.Class);
            Assert.Equal(DnsConstants.HeaderSize + question.Name.WireLength + 4, reader.Position);
        });

    /// <summary>Later questions may be compressed against earlier names: the read decompresses them.</summary>
    [Property(MaxTest = 200)]
    public Property TryReadQuestion_EveryQuestionOfAWrittenMessage_GivesItsName() =>
        Prop.ForAll(Arb.From(DnsGenerators.Message), message =>
        {
            byte[] wire = message.ToArray();
            var reader = new DnsMessageReader(wire);
            Assert.True(reader.TryReadHeader(out _));
            byte[] name = new byte[DnsConstants.MaxNameLength];
            foreach (var question in message.Questions)
            {
                Assert.True(reader.TryReadQuestion(name, out var info));
                var read = DnsName.FromWire(name.AsSpan(0, info.NameLength));
                Assert.Equal(question.Name, read);
                Assert.Equal(question.Type, info.Type);
                Assert.Equal(question.Class, info.Class);
            }
        });

    /// <summary>
    /// Regression (found by CI): an SOA owned by "….M." whose MNAME ends in ".m." came back with "M" in its RDATA.
    /// </summary>
    private static byte[] FoldAscii(byte[] octets) =>
        [.. octets.Select(b => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b)];
}
