using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Palisade.Protocol.Tests.Properties;

/// <summary>Properties of <see cref="DnsName"/>: text round trip, and case-insensitive equality and hashing (RFC 4343).</summary>
public sealed class NameProperties
{
    /// <summary>Any octet may sit in a label (RFC 2181 s11); the presentation form escapes what it must, so it reads back exactly.</summary>
    [Property(MaxTest = 300)]
    public Property Parse_ToStringOfAnyName_GivesTheSameNameExactly() =>
        Prop.ForAll(Arb.From(DnsGenerators.Name), name =>
        {
            string text = name.ToString();
            Assert.True(DnsName.TryParse(text, out var parsed), $"TryParse rejected '{text}' (wire {Convert.ToHexString(name.WireBytes)})");
            Assert.True(name.EqualsExact(parsed), $"'{text}' read back as '{parsed}'");
        });

    [Property(MaxTest = 300)]
    public Property Parse_ToStringOfAsciiName_GivesTheSameNameExactly() =>
        Prop.ForAll(Arb.From(DnsGenerators.AsciiName), name =>
        {
            string text = name.ToString();
            var parsed = DnsName.Parse(text);
            Assert.True(name.EqualsExact(parsed), $"'{text}' read back as '{parsed}'");
            Assert.Equal(name.LabelCount, parsed.LabelCount);
            Assert.Equal(text, parsed.ToString());
        });

    /// <summary>The smallest case of the failure above: <c>\200</c> is a valid RFC 1035 s5.1 escape for octet 200.</summary>
    [Theory]
    [InlineData(@"\128.example.", "01" + "80" + "07" + "6578616d706c65" + "00")]
    [InlineData(@"a\200b.", "03" + "61c862" + "00")]
    [InlineData(@"\255.", "01" + "ff" + "00")]
    public void Parse_DecimalEscapeAbove127_GivesThatOctet(string text, string wireHex)
    {
        var parsed = DnsName.Parse(text);
        Assert.Equal(wireHex, Convert.ToHexStringLower(parsed.WireBytes));
    }

    /// <summary>A backslash followed by a character over U+00FF must not be cut down to its low eight bits.</summary>
    [Theory]
    [InlineData("\\\u0101.")]
    [InlineData("a\\\u4E2D.example.")]
    public void TryParse_BackslashBeforeCharacterAbove255_IsRejected(string text)
    {
        Assert.False(DnsName.TryParse(text, out var parsed), $"read as wire {(parsed is null ? "" : Convert.ToHexString(parsed.WireBytes))}");
    }

    [Property(MaxTest = 300)]
    public Property Equals_RandomlyRecasedCopy_IsEqualWithEqualHash() =>
        Prop.ForAll(Arb.From(from name in DnsGenerators.Name from copy in DnsGenerators.Recased(name) select (name, copy)), pair =>
        {
            var (name, copy) = pair;
            Assert.True(name.Equals(copy));
            Assert.True(copy.Equals(name));
            Assert.True(name == copy);
            Assert.Equal(name.GetHashCode(), copy.GetHashCode());
            Assert.True(name.ToLowerInvariant().EqualsExact(copy.ToLowerInvariant()));
            Assert.True(name.IsSubdomainOf(copy) && copy.IsSubdomainOf(name));
        });

    /// <summary>Case folding is ASCII letters only: '@' (0x40) and '`' (0x60) differ by the same bit as 'A' and 'a' but are different octets.</summary>
    [Property(MaxTest = 200)]
    public Property Equals_CopyWithOneOctetChangedOtherThanCase_IsNotEqual() =>
        Prop.ForAll(Arb.From(DnsGenerators.Name.Where(n => !n.IsRoot).SelectMany(n => Gen.Choose(0, n.WireLength - 2).Select(i => (n, i)))), pair =>
        {
            var (name, index) = pair;
            byte[] wire = name.WireBytes.ToArray();
            if (DnsGenerators.IsLengthOctet(wire, index))
            {
                return;
            }

            byte original = wire[index];
            wire[index] = (byte)(original ^ 0x20);
            var changed = DnsName.FromWire(wire);
            bool isLetter = char.IsAsciiLetter((char)original);
            Assert.Equal(isLetter, name.Equals(changed));
            if (isLetter)
            {
                Assert.Equal(name.GetHashCode(), changed.GetHashCode());
            }
        });
}
