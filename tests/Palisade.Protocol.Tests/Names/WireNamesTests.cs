namespace Palisade.Protocol.Tests.Names;

public sealed class WireNamesTests
{
    [Theory]
    [InlineData("www.example.com", "example.com", true)]
    [InlineData("example.com", "example.com", true)]
    [InlineData("WWW.Example.COM", "example.com", true)]
    [InlineData("www.example.com", "EXAMPLE.com", true)]
    [InlineData("www.example.com", "com", true)]
    [InlineData("example.com", "www.example.com", false)]
    [InlineData("example.com", "ample.com", false)]
    [InlineData("xample.com", "ample.com", false)]
    [InlineData("example.com", "example.net", false)]
    [InlineData("com", "example.com", false)]
    [InlineData("www.example.com", ".", true)]
    [InlineData(".", ".", true)]
    [InlineData(".", "com", false)]
    public void IsAtOrBelow_LabelBoundaries_AsExpected(string name, string zone, bool expected) =>
        Assert.Equal(expected, WireNames.IsAtOrBelow(Wire(name), Wire(zone)));

    [Theory]
    [InlineData("a\\.example.com", "example.com", false)]
    [InlineData("a\\.example.com", "com", true)]
    [InlineData("a\\.example.com", "a\\.example.com", true)]
    [InlineData("a\\.example.com", "example", false)]
    [InlineData("www.a\\.example", "a\\.example", true)]
    [InlineData("www.a\\.example", "example", false)]
    [InlineData("b.a\\.example", "a.example", false)]
    public void IsAtOrBelow_DotInsideALabel_IsNotABoundary(string name, string zone, bool expected) =>
        Assert.Equal(expected, WireNames.IsAtOrBelow(Wire(name), Wire(zone)));

    [Fact]
    public void IsAtOrBelow_LabelHoldingWhatLooksLikeALengthOctet_IsNotABoundary()
    {
        // One label "xx\005ample" then "com": the octets of "ample.com" in wire form end the name, but not on a boundary.
        byte[] name = [8, (byte)'x', (byte)'x', 5, .. "ample"u8, 3, .. "com"u8, 0];
        Assert.Equal(name, Wire("xx\\005ample.com"));

        Assert.False(WireNames.IsAtOrBelow(name, Wire("ample.com")));
        Assert.True(WireNames.IsAtOrBelow(name, Wire("com")));
        Assert.True(WireNames.IsAtOrBelow(name, name));
    }

    [Fact]
    public void ToLowerInPlace_AsciiAndBinaryOctets_OnlyAsciiLettersLowered()
    {
        byte[] name = [4, (byte)'A', 0xC3, (byte)'Z', 0xDA, 3, (byte)'C', (byte)'o', (byte)'M', 0];
        byte[] expected = [4, (byte)'a', 0xC3, (byte)'z', 0xDA, 3, (byte)'c', (byte)'o', (byte)'m', 0];

        WireNames.ToLowerInPlace(name);

        Assert.Equal(expected, name);
    }

    [Fact]
    public void ToLower_IntoDestination_LeavesSourceAndLowersCopy()
    {
        byte[] source = Wire("WwW.Ex\\200AMPLE.com");
        byte[] destination = new byte[source.Length + 3];

        WireNames.ToLower(source, destination);

        Assert.Equal(Wire("www.ex\\200ample.com"), destination[..source.Length]);
        Assert.Equal(Wire("WwW.Ex\\200AMPLE.com"), source);
        Assert.Throws<ArgumentException>(() => WireNames.ToLower(source, new byte[source.Length - 1]));
    }

    [Theory]
    [InlineData("Example.COM", "example.com", true)]
    [InlineData("ex\\200ample.com", "EX\\200AMPLE.com", true)]
    [InlineData("ex\\200ample.com", "ex\\232ample.com", false)]
    [InlineData("example.com", "example.co", false)]
    [InlineData("a\\[.com", "a\\{.com", false)]
    public void EqualsIgnoreCase_AsciiLettersOnly(string left, string right, bool expected)
    {
        Assert.Equal(expected, WireNames.EqualsIgnoreCase(Wire(left), Wire(right)));
        if (expected)
        {
            Assert.Equal(WireNames.GetHashCodeIgnoreCase(Wire(left)), WireNames.GetHashCodeIgnoreCase(Wire(right)));
        }
    }

    [Fact]
    public void ToLower_OctetsBelowAndAboveTheLetters_Unchanged()
    {
        for (int b = 0; b < 256; b++)
        {
            byte expected = b is >= 'A' and <= 'Z' ? (byte)(b + 32) : (byte)b;
            Assert.Equal(expected, WireNames.ToLower((byte)b));
        }
    }

    private static byte[] Wire(string name) => DnsName.Parse(name).WireBytes.ToArray();
}
