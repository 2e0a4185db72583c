namespace Palisade.Protocol.Tests.Names;

public sealed class DnsNameTests
{
    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a..b")]
    [InlineData(".example.com")]
    [InlineData("bad\\")]
    [InlineData("bad\\25")]
    [InlineData("bad\\256.com")]
    [InlineData("bücher.example")]
    public void Parse_Invalid_ThrowsFormatExceptionSayingWhy(string text)
    {
        var exception = Assert.Throws<FormatException>(() => DnsName.Parse(text));
        Assert.Contains("Invalid domain name", exception.Message, StringComparison.Ordinal);
        Assert.False(DnsName.TryParse(text, out _));
    }

    [Fact]
    public void Parse_LabelOf64Octets_Throws()
    {
        Assert.NotNull(DnsName.Parse(new string('a', 63) + ".com"));
        var exception = Assert.Throws<FormatException>(() => DnsName.Parse(new string('a', 64) + ".com"));
        Assert.Contains("63", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NameOf255OctetsFits_256DoesNot()
    {
        // Four labels of 63, 63, 63 and 61 octets: 4 length octets + 250 + the root = 255.
        string longest = $"{new string('a', 63)}.{new string('b', 63)}.{new string('c', 63)}.{new string('d', 61)}.";
        Assert.Equal(255, DnsName.Parse(longest).WireLength);
        var exception = Assert.Throws<FormatException>(() => DnsName.Parse("e." + longest));
        Assert.Contains("255", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example.com", "example.com.")]
    [InlineData("Example.COM.", "Example.COM.")]
    [InlineData(".", ".")]
    [InlineData("a\\.b.example", "a\\.b.example.")]
    [InlineData("sp\\ ace.example", "sp\\032ace.example.")]
    [InlineData("\\065bc.example", "Abc.example.")]
    public void Parse_Valid_FormatsAsPresentation(string text, string expected) =>
        Assert.Equal(expected, DnsName.Parse(text).ToString());

    [Fact]
    public void Equals_DifferentCase_EqualWithSameHashButNotExact()
    {
        var lower = DnsName.Parse("www.example.com");
        var mixed = DnsName.Parse("WwW.ExAmPlE.CoM");
        Assert.Equal(lower, mixed);
        Assert.Equal(lower.GetHashCode(), mixed.GetHashCode());
        Assert.False(lower.EqualsExact(mixed));
        Assert.True(lower.EqualsExact(mixed.ToLowerInvariant()));
        Assert.NotEqual(DnsName.Parse("www.example.org"), lower);
    }

    [Theory]
    [InlineData("a.b.example.com", "example.com", true)]
    [InlineData("example.com", "example.com", true)]
    [InlineData("EXAMPLE.com", "example.COM", true)]
    [InlineData("badexample.com", "example.com", false)]
    [InlineData("example.com", "a.example.com", false)]
    [InlineData("anything.example", ".", true)]
    public void IsSubdomainOf_Cases(string name, string parent, bool expected) =>
        Assert.Equal(expected, DnsName.Parse(name).IsSubdomainOf(DnsName.Parse(parent)));

    [Fact]
    public void ParentAndPrepend_WalkTheTree()
    {
        var name = DnsName.Parse("www.example.com");
        Assert.Equal(3, name.LabelCount);
        Assert.Equal("example.com.", name.Parent().ToString());
        Assert.Equal(DnsName.Root, name.Parent().Parent().Parent());
        Assert.Equal(name, name.Parent().Prepend("www"u8));
        Assert.Equal("www"u8.ToArray(), name.FirstLabel.ToArray());
    }

    [Theory]
    [InlineData("00", DnsReadError.None)]
    [InlineData("03777777", DnsReadError.Truncated)]
    [InlineData("4000", DnsReadError.BadLabel)]
    [InlineData("c00c", DnsReadError.BadLabel)]
    [InlineData("0161000000", DnsReadError.TrailingData)]
    public void FromWire_ChecksTheForm(string hex, DnsReadError expected)
    {
        if (expected == DnsReadError.None)
        {
            Assert.True(DnsName.FromWire(Convert.FromHexString(hex)).IsRoot);
            return;
        }

        var exception = Assert.Throws<DnsProtocolException>(() => DnsName.FromWire(Convert.FromHexString(hex)));
        Assert.Equal(expected, exception.Error);
    }
}
