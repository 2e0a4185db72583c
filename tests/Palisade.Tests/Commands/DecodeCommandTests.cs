using Palisade.Tests.Interop;

namespace Palisade.Tests.Commands;

public sealed class DecodeCommandTests
{
    // A response for www.example.com A: 192.0.2.1, TTL 300, the owner compressed to the question.
    private const string Response =
        "1234 8180 0001 0001 0000 0000" +
        " 03777777 076578616d706c65 03636f6d 00 0001 0001" +
        " c00c 0001 0001 0000012c 0004 c0000201";

    [Fact]
    public void Decode_Response_PrintsItLikeDig()
    {
        var result = PalisadeProcess.Run("decode", Response);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("status: NOERROR, id: 4660", result.Output, StringComparison.Ordinal);
        Assert.Contains("www.example.com.\t300\tIN\tA\t192.0.2.1", result.Output, StringComparison.Ordinal);
        Assert.Contains(";; MSG SIZE: 49", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_FromStandardInput_Works()
    {
        var result = PalisadeProcess.RunWithInput(Response, "decode", "-");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("192.0.2.1", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x12348180000100010000000003777777076578616d706c6503636f6d0000010001c00c000100010000012c0004c0000201")]
    [InlineData("EjSBgAABAAEAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQABwAwAAQABAAABLAAEwAACAQ")]
    [InlineData("https://dns.home.arpa/dns-query?dns=EjSBgAABAAEAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQABwAwAAQABAAABLAAEwAACAQ")]
    public void Decode_ZeroXOrBase64UrlOrDohUrl_PrintsItLikeDig(string input)
    {
        var result = PalisadeProcess.Run("decode", input);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("www.example.com.\t300\tIN\tA\t192.0.2.1", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_RealXxdOutputOnStandardInput_PrintsItLikeDig()
    {
        string xxd = ExternalTool.Require("xxd", "xxd");
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, Convert.FromHexString(Response.Replace(" ", "", StringComparison.Ordinal)));
            ToolResult dump = await ExternalTool.RunAsync(xxd, [file], TimeSpan.FromSeconds(10));
            Assert.StartsWith("00000000: 1234 8180", dump.Output, StringComparison.Ordinal);

            var result = PalisadeProcess.RunWithInput(dump.Output, "decode", "-");

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains(";; MSG SIZE: 49", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Decode_PointerLoop_SaysWhatAndWhere()
    {
        // The answer's owner is a pointer to itself at offset 33.
        string loop = "1234 8180 0001 0001 0000 0000 03777777 076578616d706c65 03636f6d 00 0001 0001 c021 0001 0001 0000012c 0004 c0000201";
        var result = PalisadeProcess.Run("decode", loop);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Compression pointer", result.Error, StringComparison.Ordinal);
        Assert.Contains("offset 33", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("123")]
    public void Decode_NotHex_ExitCode2WithReason(string input)
    {
        var result = PalisadeProcess.Run("decode", input);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not hexadecimal", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_PrintsTheVersion()
    {
        var result = PalisadeProcess.Run("--version");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith("0.1.0", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsTheCommands()
    {
        var result = PalisadeProcess.Run("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("decode", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommand_FailsWithMessage()
    {
        var result = PalisadeProcess.Run("frobnicate");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("frobnicate", result.Error, StringComparison.Ordinal);
    }
}
