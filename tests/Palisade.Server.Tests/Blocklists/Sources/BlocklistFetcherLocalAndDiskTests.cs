using Palisade.Server.Blocklists.Sources;

namespace Palisade.Server.Tests.Blocklists.Sources;

public sealed class BlocklistFetcherLocalAndDiskTests
{
    [Fact]
    public async Task FetchAsync_LocalFile_IsReadInPlace()
    {
        await using var h = new FetcherHarness();
        var path = Path.Combine(h.Root, "my list.txt");
        var body = SyntheticLists.Hosts(200);
        await File.WriteAllBytesAsync(path, body);
        var source = new BlocklistSource(path, "mine", false);

        var result = await h.FetchAsync(source);

        Assert.Equal(FetchStatus.LocalFile, result.Status);
        Assert.Equal(path, result.Path);
        Assert.Equal(body.Length, result.Bytes);
        Assert.Null(result.Error);
        Assert.Equal(path, h.Fetcher.LastGoodCopy(source));
        Assert.False(Directory.Exists(h.CacheDir));
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task FetchAsync_FileUrl_IsReadInPlace()
    {
        await using var h = new FetcherHarness();
        var path = Path.Combine(h.Root, "list.txt");
        await File.WriteAllBytesAsync(path, SyntheticLists.Adblock(10));

        var result = await h.FetchAsync(new BlocklistSource(new Uri(path).AbsoluteUri, "file", false));

        Assert.Equal(FetchStatus.LocalFile, result.Status);
        Assert.Equal(path, result.Path);
    }

    [Fact]
    public async Task FetchAsync_MissingLocalFile_FailsNamingThePath()
    {
        await using var h = new FetcherHarness();
        var path = Path.Combine(h.Root, "missing.txt");

        var result = await h.FetchAsync(new BlocklistSource(path, "missing", false));

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Null(result.Path);
        Assert.Contains(path, result.Error, StringComparison.Ordinal);
        Assert.Contains("No such file or directory (ENOENT)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_LocalPathIsADirectory_Fails()
    {
        await using var h = new FetcherHarness();

        var result = await h.FetchAsync(new BlocklistSource(h.Root, "dir", false));

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains("is a directory", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_CacheDirectoryMissing_IsCreated()
    {
        await using var h = new FetcherHarness(cacheDir: null);
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Adblock(300));
        Assert.False(Directory.Exists(h.CacheDir));

        var result = await h.FetchAsync(h.Source());

        Assert.Equal(FetchStatus.Downloaded, result.Status);
        Assert.True(Directory.Exists(h.CacheDir));
    }
}
