using System.Net;
using Palisade.Server.Configuration;

namespace Palisade.Server.Tests.Configuration;

public sealed class ValueParsersTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("500ms", 500)]
    [InlineData("5s", 5_000)]
    [InlineData("10m", 600_000)]
    [InlineData("24h", 86_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1d2h3m4s5ms", 93_784_005)]
    [InlineData(" 5S ", 5_000)]
    [InlineData("90m", 5_400_000)]
    public void Duration_Valid(string text, long milliseconds)
    {
        Assert.True(ValueParsers.TryParseDuration(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("5", "'5' has no unit")]
    [InlineData("300", "'300' has no unit")]
    [InlineData("", "'' is not a duration")]
    [InlineData("5sec", "'5sec' is not a duration")]
    [InlineData("5 s", "'5 s' is not a duration")]
    [InlineData("-5s", "'-5s' is not a duration")]
    [InlineData("1.5s", "'1.5s' is not a duration")]
    [InlineData("30m1h", "'30m1h' is not a duration")]
    [InlineData("1h1h", "'1h1h' is not a duration")]
    [InlineData("h", "'h' is not a duration")]
    [InlineData("99999999999999999999d", "'99999999999999999999d' is too long a duration")]
    [InlineData("99999999999d", "'99999999999d' is too long a duration")]
    public void Duration_Invalid(string text, string expectedStart)
    {
        Assert.False(ValueParsers.TryParseDuration(text, out _, out var error));
        Assert.StartsWith(expectedStart, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1234", 1234L)]
    [InlineData("10B", 10L)]
    [InlineData("1KB", 1_000L)]
    [InlineData("200MB", 200_000_000L)]
    [InlineData("2GB", 2_000_000_000L)]
    [InlineData("1KiB", 1_024L)]
    [InlineData("64MiB", 67_108_864L)]
    [InlineData("3GiB", 3_221_225_472L)]
    [InlineData("200mb", 200_000_000L)]
    [InlineData("64mib", 67_108_864L)]
    [InlineData("64 MiB", 67_108_864L)]
    [InlineData("1.5GB", 1_500_000_000L)]
    [InlineData("0MB", 0L)]
    public void Size_Valid(string text, long bytes)
    {
        Assert.True(ValueParsers.TryParseSize(text, out var value, out var error), error);
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("20XB")]
    [InlineData("")]
    [InlineData("MB")]
    [InlineData("-1MB")]
    [InlineData("1TB")]
    [InlineData("1.2.3MB")]
    [InlineData("lots")]
    public void Size_Invalid(string text)
    {
        Assert.False(ValueParsers.TryParseSize(text, out _, out var error));
        Assert.Equal($"'{text}' is not a size (use e.g. 200MB, 64MiB or 0)", error);
    }

    [Fact]
    public void Size_TooLarge()
    {
        Assert.False(ValueParsers.TryParseSize("99999999999999GiB", out _, out var error));
        Assert.Equal("'99999999999999GiB' is too large a size", error);
    }

    [Theory]
    [InlineData("127.0.0.1:5353", "127.0.0.1:5353")]
    [InlineData("0.0.0.0:53", "0.0.0.0:53")]
    [InlineData("[::1]:5353", "[::1]:5353")]
    [InlineData("[::]:53", "[::]:53")]
    [InlineData("192.0.2.1", "192.0.2.1:53")]
    [InlineData("[2001:db8::1]", "[2001:db8::1]:53")]
    [InlineData("2001:db8::1", "[2001:db8::1]:53")]
    public void ListenEndPoint_Valid(string text, string expected)
    {
        Assert.True(ValueParsers.TryParseListenEndPoint(text, out var endPoint, out var error), error);
        Assert.Equal(IPEndPoint.Parse(expected), endPoint);
    }

    [Theory]
    [InlineData("127.0.0.1:0", "port 0")]
    [InlineData("127.0.0.1:70000", "out of range")]
    [InlineData("127.0.0.1:", "no valid port")]
    [InlineData("127.0.0.1:dns", "no valid port")]
    [InlineData("[::1", "no closing ']'")]
    [InlineData("[::1]5353", "is not a valid listen address")]
    [InlineData("localhost:53", "is a hostname")]
    [InlineData("127.1:53", "is not an IP address")]
    [InlineData("256.0.0.1:53", "is not an IP address")]
    [InlineData("udp://127.0.0.1:53", "is not a listen address")]
    [InlineData("", "is not an IP address")]
    public void ListenEndPoint_Invalid(string text, string expectedPart)
    {
        Assert.False(ValueParsers.TryParseListenEndPoint(text, out _, out var error));
        Assert.Contains(expectedPart, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9.9.9.9", UpstreamProtocol.Udp, "9.9.9.9:53")]
    [InlineData("9.9.9.9:5300", UpstreamProtocol.Udp, "9.9.9.9:5300")]
    [InlineData("udp://9.9.9.9", UpstreamProtocol.Udp, "9.9.9.9:53")]
    [InlineData("UDP://9.9.9.9:5300", UpstreamProtocol.Udp, "9.9.9.9:5300")]
    [InlineData("tcp://9.9.9.9", UpstreamProtocol.Tcp, "9.9.9.9:53")]
    [InlineData("tcp://[2620:fe::fe]:53", UpstreamProtocol.Tcp, "[2620:fe::fe]:53")]
    [InlineData("[2620:fe::fe]:5300", UpstreamProtocol.Udp, "[2620:fe::fe]:5300")]
    [InlineData("2620:fe::fe", UpstreamProtocol.Udp, "[2620:fe::fe]:53")]
    public void Upstream_Valid(string text, UpstreamProtocol protocol, string endPoint)
    {
        Assert.True(ValueParsers.TryParseUpstream(text, out var upstream, out var error), error);
        Assert.Equal(new UpstreamOptions(protocol, IPEndPoint.Parse(endPoint)), upstream);
    }

    [Theory]
    [InlineData("tls://9.9.9.9#dns.quad9.net", "9.9.9.9:853", null, "dns.quad9.net", null, "tls://9.9.9.9:853#dns.quad9.net")]
    [InlineData("TLS://9.9.9.9:8853", "9.9.9.9:8853", null, null, null, "tls://9.9.9.9:8853")]
    [InlineData("tls://[2620:fe::fe]#dns.quad9.net", "[2620:fe::fe]:853", null, "dns.quad9.net", null, "tls://[2620:fe::fe]:853#dns.quad9.net")]
    [InlineData("tls://Dns.Quad9.Net", null, "dns.quad9.net", "dns.quad9.net", null, "tls://dns.quad9.net:853")]
    [InlineData("tls://dns.quad9.net:853#other.example", null, "dns.quad9.net", "other.example", null, "tls://dns.quad9.net:853#other.example")]
    [InlineData("https://dns.quad9.net/dns-query", null, "dns.quad9.net", "dns.quad9.net", "/dns-query", "https://dns.quad9.net:443/dns-query")]
    [InlineData("https://dns.quad9.net", null, "dns.quad9.net", "dns.quad9.net", "/dns-query", "https://dns.quad9.net:443/dns-query")]
    [InlineData("https://doh.example:8443/resolve/abc#192.0.2.5", "192.0.2.5:8443", "doh.example", "doh.example", "/resolve/abc", "https://doh.example:8443/resolve/abc#192.0.2.5")]
    [InlineData("https://doh.example/dns-query#[2001:db8::5]", "[2001:db8::5]:443", "doh.example", "doh.example", "/dns-query", "https://doh.example:443/dns-query#2001:db8::5")]
    [InlineData("https://192.0.2.5/dns-query", "192.0.2.5:443", null, null, "/dns-query", "https://192.0.2.5:443/dns-query")]
    public void EncryptedUpstream_Valid(string text, string? endPoint, string? hostName, string? tlsName, string? path, string display)
    {
        Assert.True(ValueParsers.TryParseUpstream(text, out var upstream, out var error), error);
        Assert.Equal(endPoint, upstream.EndPoint?.ToString());
        Assert.Equal(hostName, upstream.HostName);
        Assert.Equal(tlsName, upstream.TlsName);
        Assert.Equal(path, upstream.Path);
        Assert.Null(upstream.Pin);
        Assert.Equal(endPoint is null, upstream.NeedsBootstrap);
        Assert.True(upstream.IsEncrypted);
        Assert.Equal(display, upstream.ToString());

        // What is displayed parses back to the same upstream.
        Assert.True(ValueParsers.TryParseUpstream(display, out var again, out error), error);
        Assert.Equal(upstream, again);
    }

    [Theory]
    [InlineData("tls://9.9.9.9?pin=sha256/N4PJEDM46OqYbzNQhzUijqwQrFLDNUAbx+h+OvseRwU=#dns.quad9.net")]
    [InlineData("tls://9.9.9.9#dns.quad9.net?pin=sha256/N4PJEDM46OqYbzNQhzUijqwQrFLDNUAbx+h+OvseRwU=")]
    [InlineData("tls://9.9.9.9#dns.quad9.net?pin=SHA256/N4PJEDM46OqYbzNQhzUijqwQrFLDNUAbx+h+OvseRwU=")]
    public void Upstream_Pin_IsReadInEitherOrder(string text)
    {
        Assert.True(ValueParsers.TryParseUpstream(text, out var upstream, out var error), error);
        Assert.Equal("sha256/N4PJEDM46OqYbzNQhzUijqwQrFLDNUAbx+h+OvseRwU=", upstream.Pin);
        Assert.Equal("dns.quad9.net", upstream.TlsName);
        Assert.Equal("tls://9.9.9.9:853?pin=sha256/N4PJEDM46OqYbzNQhzUijqwQrFLDNUAbx+h+OvseRwU=#dns.quad9.net", upstream.ToString());
    }

    [Theory]
    [InlineData("9.9.9.9", "9.9.9.9:53")]
    [InlineData("127.0.0.1:5300", "127.0.0.1:5300")]
    [InlineData("[2620:fe::fe]", "[2620:fe::fe]:53")]
    public void Bootstrap_Valid(string text, string expected)
    {
        Assert.True(ValueParsers.TryParseBootstrap(text, out var endPoint, out var error), error);
        Assert.Equal(expected, endPoint.ToString());
    }

    [Theory]
    [InlineData("udp://9.9.9.9", "is not a bootstrap server")]
    [InlineData("dns.google", "is a hostname")]
    public void Bootstrap_Invalid(string text, string expectedPart)
    {
        Assert.False(ValueParsers.TryParseBootstrap(text, out _, out var error));
        Assert.Contains(expectedPart, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("quic://9.9.9.9", "quic:// upstreams are not supported")]
    [InlineData("http://9.9.9.9/dns-query", "http:// upstreams are not supported")]
    [InlineData("sdns://AQMAAAAAAAAAEDk", "unknown scheme 'sdns://'")]
    [InlineData("dns.quad9.net", "'dns.quad9.net' is a hostname, but an IP address is needed")]
    [InlineData("tcp://one.one.one.one:53", "'one.one.one.one' is a hostname")]
    [InlineData("udp://9.9.9.9:0", "port 0")]
    [InlineData("udp://9.9.9.9/", "a plain DNS upstream is IP[:PORT] only")]
    [InlineData("9.9.9.9#dns.quad9.net", "a plain DNS upstream is IP[:PORT] only")]
    [InlineData("tls://9.9.9.9/dns-query", "a tls:// upstream has no path")]
    [InlineData("tls://9.9.9.9#", "nothing after '#'")]
    [InlineData("tls://9.9.9.9#not a name", "is not a host name")]
    [InlineData("tls://9.9.9.9:0", "port 0")]
    [InlineData("tls://dns_quad9.net", "neither an IP address nor a host name")]
    [InlineData("tls://9.9.9.9?pin=abc#dns.quad9.net", "the pin must be sha256/BASE64")]
    [InlineData("tls://9.9.9.9?pin=sha256/AAAA#dns.quad9.net", "is not the base64 of a 32-octet SHA-256 digest")]
    [InlineData("tls://9.9.9.9?sni=x", "is not understood (the only parameter is ?pin=sha256/BASE64)")]
    [InlineData("https://dns.quad9.net/dns-query#dns.quad9.net", "after '#' is not an IP address")]
    [InlineData("https://9.9.9.9/dns-query#9.9.9.10", "the URL already has one")]
    [InlineData("https://user:secret@dns.example/dns-query", "user names and passwords in upstream URLs are not supported")]
    [InlineData("https://dns.example:99999/dns-query", "out of range")]
    public void Upstream_Invalid(string text, string expectedPart)
    {
        Assert.False(ValueParsers.TryParseUpstream(text, out _, out var error));
        Assert.Contains(expectedPart, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData("yes", true)]
    [InlineData("off", false)]
    public void Boolean_Valid(string text, bool expected)
    {
        Assert.True(ValueParsers.TryParseBoolean(text, out var value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(500L, "500ms")]
    [InlineData(5_000L, "5s")]
    [InlineData(5_400_000L, "1h30m")]
    [InlineData(86_400_000L, "1d")]
    public void FormatDuration_RoundTrips(long milliseconds, string expected)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);
        Assert.Equal(expected, ValueParsers.FormatDuration(value));
        Assert.True(ValueParsers.TryParseDuration(expected, out var parsed, out _));
        Assert.Equal(value, parsed);
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(200_000_000L, "200MB")]
    [InlineData(67_108_864L, "64MiB")]
    [InlineData(1_500L, "1500B")]
    [InlineData(2_000_000_000L, "2GB")]
    [InlineData(1_024L, "1KiB")]
    public void FormatSize_RoundTrips(long bytes, string expected)
    {
        Assert.Equal(expected, ValueParsers.FormatSize(bytes));
        Assert.True(ValueParsers.TryParseSize(expected, out var parsed, out _));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("cahce", "cache")]
    [InlineData("upstream", "upstreams")]
    [InlineData("LISTEN", "listen")]
    [InlineData("xyz", null)]
    public void DidYouMean_FindsLikelyTypos(string input, string? expected)
    {
        Assert.Equal(expected, DidYouMean.Closest(input, ["listen", "upstreams", "upstreamStrategy", "cache", "log"]));
    }
}
