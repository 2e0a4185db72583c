using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Palisade.Protocol.Tests.Malformed;

/// <summary>
/// Arbitrary octets, and well-formed messages with octets flipped, given to every reader: only
/// <see cref="DnsProtocolException"/> or false may come out. Seeds are fixed so that a failure replays.
/// </summary>
public sealed class RandomInputTests
{
    /// <summary>Octets that mean something to a name or header reader, more often than chance would pick them.</summary>
    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x03, 0x0C, 0x29, 0x3F, 0x40, 0x80, 0xC0, 0xC1, 0xFF];

    [Property(MaxTest = 300)]
    public Property Readers_ArbitraryOctets_OnlyProtocolErrors() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 300).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n))), input =>
        {
            MalformedHarness.ExerciseAll(input);
        });

    [Property(MaxTest = 300)]
    public Property Readers_HeaderWithSmallCountsAndNameLikeOctets_OnlyProtocolErrors() =>
        Prop.ForAll(Arb.From(NameLikeMessage()), input =>
        {
            MalformedHarness.ExerciseAll(input);
        });

    [Fact]
    public void Readers_SeededRandomOctets_OnlyProtocolErrors()
    {
        var random = new Random(0x5EED);
        for (int i = 0; i < 3000; i++)
        {
            byte[] input = new byte[random.Next(0, 160)];
            random.NextBytes(input);
            if (input.Length >= DnsConstants.HeaderSize && random.Next(2) == 0)
            {
                // Small counts, so that the readers get past the header.
                for (int count = 4; count < DnsConstants.HeaderSize; count += 2)
                {
                    input[count] = 0;
                    input[count + 1] = (byte)random.Next(0, 4);
                }

                for (int j = DnsConstants.HeaderSize; j < input.Length; j++)
                {
                    if (random.Next(3) == 0)
                    {
                        input[j] = Interesting[random.Next(Interesting.Length)];
                    }
                }
            }

            MalformedHarness.ExerciseAll(input);
        }
    }

    [Theory]
    [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
    public void Readers_SampleWithOctetsFlipped_OnlyProtocolErrors(string name)
    {
        var random = new Random(name.Length * 7919);
        byte[] original = SampleMessages.All[name];
        for (int i = 0; i < 1500; i++)
        {
            MalformedHarness.ExerciseAll(Mutate(original, random));
        }
    }

    /// <summary>A mutated message that still parses must write and read back to the same message.</summary>
    [Theory]
    [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
    public void Parse_SampleWithOctetsFlippedThatStillParses_RoundTrips(string name)
    {
        var random = new Random(name.Length * 104729);
        byte[] original = SampleMessages.All[name];
        int parsed = 0;
        for (int i = 0; i < 1500; i++)
        {
            byte[] input = Mutate(original, random);
            if (MalformedHarness.Parse(input) is { } message)
            {
                parsed++;
                MalformedHarness.AssertRoundTrips(message, input);
            }
        }

        Assert.True(parsed > 0, "no mutation parsed; the test tests nothing");
    }

    /// <summary>One to four octets changed: flipped bits, an interesting value, or a truncation or extension.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        byte[] input = (byte[])original.Clone();
        int changes = random.Next(1, 5);
        for (int c = 0; c < changes; c++)
        {
            int at = random.Next(input.Length);
            switch (random.Next(4))
            {
                case 0:
                    input[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    input[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    input[at] = (byte)random.Next(256);
                    break;
                default:
                    input[at] = (byte)(input[at] + (random.Next(2) == 0 ? 1 : -1));
                    break;
            }
        }

        if (random.Next(8) == 0)
        {
            input = random.Next(2) == 0 ? input[..random.Next(input.Length)] : [.. input, .. Interesting[..random.Next(1, 6)]];
        }

        return input;
    }

    /// <summary>A header with counts of 0 to 3, then a mixture of labels, pointers, type codes and random octets.</summary>
    private static Gen<byte[]> NameLikeMessage()
    {
        var count = Gen.Choose(0, 3).Select(n => new byte[] { 0, (byte)n });
        var label = from length in Gen.Choose(1, 12)
                    from octets in Gen.ArrayOf(Gen.Choose(0x61, 0x7A).Select(b => (byte)b), length)
                    select (byte[])[(byte)length, .. octets];
        var pointer = from target in Gen.Choose(0, 80) select new byte[] { 0xC0, (byte)target };
        var fixedFields = Gen.Elements<byte[]>(
            [0x00, 0x01, 0x00, 0x01],
            [0x00, 0x29, 0x04, 0xD0, 0x00, 0x00, 0x80, 0x00],
            [0x00, 0x00, 0x0E, 0x10, 0x00, 0x04],
            [0x00, 0x00],
            [0x00, 0x08, 0x00, 0x07, 0x00, 0x01, 0x18, 0x00]);
        var any = Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));
        var piece = Gen.Frequency((3, label), (2, pointer), (1, Gen.Constant(new byte[] { 0 })), (3, fixedFields), (1, any));
        return from id in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 4)
               from counts in Gen.ArrayOf(count, 4)
               from pieceCount in Gen.Choose(0, 24)
               from pieces in Gen.ArrayOf(piece, pieceCount)
               select (byte[])[.. id, .. counts.SelectMany(c => c), .. pieces.SelectMany(p => p)];
    }
}
