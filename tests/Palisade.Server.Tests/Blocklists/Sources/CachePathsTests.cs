using Palisade.Server.Blocklists.Sources;

namespace Palisade.Server.Tests.Blocklists.Sources;

public sealed class CachePathsTests
{
    [Theory]
    [InlineData("HaGeZi Pro++", "hagezi-pro")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    [InlineData("", "list")]
    [InlineData("...", "list")]
    [InlineData("oisd_big", "oisd_big")]
    public void SafeName_AnyName_GivesAPlainFileName(string name, string expected)
    {
        Assert.Equal(expected, CachePaths.SafeName(name));
    }

    [Fact]
    public void SafeName_LongName_IsShortened()
    {
        Assert.Equal(48, CachePaths.SafeName(new string('a', 300)).Length);
    }

    [Fact]
    public void For_SameNameDifferentUrls_GivesDifferentFiles()
    {
        var a = CachePaths.For("/cache", new BlocklistSource("https://a.example/list", "x", false));
        var b = CachePaths.For("/cache", new BlocklistSource("https://b.example/list", "x", false));

        Assert.NotEqual(a.List, b.List);
        Assert.Matches("^x-[0-9a-f]{8}$", a.Stem);
        Assert.EndsWith(".txt", a.List, StringComparison.Ordinal);
        Assert.EndsWith(".json", a.Metadata, StringComparison.Ordinal);
    }
}
