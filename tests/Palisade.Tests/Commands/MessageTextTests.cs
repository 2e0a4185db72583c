using Palisade.Commands;

namespace Palisade.Tests.Commands;

/// <summary>The forms <c>palisade decode</c> reads a message in: hex, 0x, xxd output, base64url and a DoH GET URL.</summary>
public sealed class MessageTextTests
{
    // A response for www.example.com A: 192.0.2.1 (49 octets).
    private const string Hex = "12348180000100010000000003777777076578616d706c6503636f6d0000010001c00c000100010000012c0004c0000201";

    // What `xxd` prints for it: offsets, hex in pairs of octets, two spaces, the ASCII column; the last line padded.
    private const string Xxd = """
        00000000: 1234 8180 0001 0001 0000 0000 0377 7777  .4...........www
        00000010: 0765 7861 6d70 6c65 0363 6f6d 0000 0100  .example.com....
        00000020: 01c0 0c00 0100 0100 0001 2c00 04c0 0002  ..........,.....
        00000030: 01                                       .

        """;

    // base64url without padding, as RFC 8484 s4.1 puts it after ?dns=.
    private const string Base64Url = "EjSBgAABAAEAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQABwAwAAQABAAABLAAEwAACAQ";

    private static readonly byte[] Expected = Convert.FromHexString(Hex);

    [Theory]
    [InlineData(Hex)]
    [InlineData("1234 8180 0001 0001 0000 0000 03777777 076578616d706c65 03636f6d 00 0001 0001 c00c 0001 0001 0000012c 0004 c0000201")]
    [InlineData("12:34:81:80:00:01:00:01:00:00:00:00:03:77:77:77:07:65:78:61:6d:70:6c:65:03:63:6f:6d:00:00:01:00:01:c0:0c:00:01:00:01:00:00:01:2c:00:04:c0:00:02:01")]
    [InlineData("0x" + Hex)]
    [InlineData("0X12 0x34 0x81 0x80 0x00 0x01 0x00 0x01 0x00 0x00 0x00 0x00 0x03 0x77 0x77 0x77 0x07 0x65 0x78 0x61 0x6d 0x70 0x6c 0x65 0x03 0x63 0x6f 0x6d 0x00 0x00 0x01 0x00 0x01 0xc0 0x0c 0x00 0x01 0x00 0x01 0x00 0x00 0x01 0x2c 0x00 0x04 0xc0 0x00 0x02 0x01")]
    [InlineData(Xxd)]
    [InlineData(Base64Url)]
    [InlineData(Base64Url + "==")]
    [InlineData("EjSBgAABAAEAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQABwAwAAQAB\nAAABLAAEwAACAQ==\n")] // base64, wrapped
    [InlineData("dns=" + Base64Url)]
    [InlineData("https://dns.home.arpa/dns-query?dns=" + Base64Url)]
    [InlineData("https://dns.home.arpa/dns-query?ct=application/dns-message&dns=" + Base64Url + "&x=1")]
    public void TryRead_EachForm_GivesTheSameOctets(string text)
    {
        Assert.True(MessageText.TryRead(text, out byte[]? wire));
        Assert.Equal(Expected, wire);
    }

    [Fact]
    public void TryRead_XxdWithCrLf_GivesTheOctets()
    {
        Assert.True(MessageText.TryRead(Xxd.ReplaceLineEndings("\r\n"), out byte[]? wire));
        Assert.Equal(Expected, wire);
    }

    [Fact]
    public void TryRead_Base64UrlWithDashAndUnderscore_IsNotStandardBase64()
    {
        // These octets encode with '+' and '/' in standard base64, '-' and '_' in base64url: both are read.
        byte[] octets = [.. Enumerable.Repeat<byte>(0xFB, 6), .. Enumerable.Repeat<byte>(0xFF, 6), .. Enumerable.Repeat<byte>(0xBF, 6)];
        string standard = Convert.ToBase64String(octets);
        string url = standard.Replace('+', '-').Replace('/', '_').TrimEnd('=');
        Assert.Contains("-", url, StringComparison.Ordinal);
        Assert.Contains("_", url, StringComparison.Ordinal);

        Assert.True(MessageText.TryRead(url, out byte[]? fromUrl));
        Assert.True(MessageText.TryRead(standard, out byte[]? fromStandard));
        Assert.Equal(octets, fromUrl);
        Assert.Equal(octets, fromStandard);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("xyz")]
    [InlineData("123")]
    [InlineData("12 34 zz")]
    [InlineData("dns=***")]
    [InlineData("AAAAAAAAAg")] // base64 of 7 octets: shorter than a header
    public void TryRead_NotAMessageInAnyForm_False(string text) => Assert.False(MessageText.TryRead(text, out _));
}
