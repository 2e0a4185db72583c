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
    [InlineData("[::1]5353", "is not an listen address")]
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
    [InlineData("tls://9.9.9.9:853", "encrypted upstreams (tls://) are not supported yet")]
    [InlineData("https://9.9.9.9/dns-query", "encrypted upstreams (https://) are not supported yet")]
    [InlineData("quic://9.9.9.9", "encrypted upstreams (quic://) are not supported yet")]
    [InlineData("sdns://AQMAAAAAAAAAEDk", "unknown scheme 'sdns://'")]
    [InlineData("dns.quad9.net", "'dns.quad9.net' is a hostname, but an IP address is needed")]
    [InlineData("tcp://one.one.one.one:53", "'one.one.one.one' is a hostname")]
    [InlineData("udp://9.9.9.9:0", "port 0")]
    [InlineData("udp://9.9.9.9/", "is not an IP address")]
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
