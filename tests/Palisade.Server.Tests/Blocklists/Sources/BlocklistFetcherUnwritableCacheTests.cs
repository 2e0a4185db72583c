using Microsoft.Extensions.Logging;
using Palisade.Server.Blocklists.Sources;

namespace Palisade.Server.Tests.Blocklists.Sources;

/// <summary>
/// A cache directory that cannot be created or is read-only: a good download is still applied, from memory, with one
/// warning per failure streak; the last good copy on disk is never touched.
/// </summary>
public sealed class BlocklistFetcherUnwritableCacheTests
{
    private const int CacheUnwritableEvent = 306;

    [Fact]
    public async Task FetchAsync_CacheDirectoryUnderARegularFile_ServesTheDownloadFromMemory()
    {
        var blocker = Directory.CreateTempSubdirectory("palisade-blocker-").FullName;
        try
        {
            var regularFile = Path.Combine(blocker, "data");
            await File.WriteAllTextAsync(regularFile, "I am a file, not a directory");
            var cacheDir = Path.Combine(regularFile, "lists");
            await using var h = new FetcherHarness(cacheDir: cacheDir);
            var list = SyntheticLists.Adblock(300);
            h.Server.Respond = ScriptedResponses.Ok(list, etag: "\"v1\"");
            var source = h.Source();

            var result = await h.FetchAsync(source);

            Assert.Equal(FetchStatus.Downloaded, result.Status);
            Assert.True(result.InMemory);
            Assert.True(result.HasList);
            Assert.Null(result.Path);
            Assert.Null(result.Error);
            Assert.Equal(300, result.Rules);
            Assert.Equal(list, result.Body!.Value.ToArray());
            Assert.Equal(list, h.Fetcher.InMemoryCopy(source)!.Value.ToArray());
            Assert.Null(h.Fetcher.LastGoodCopy(source));
            var warning = Assert.Single(h.Log.Lines, l => l.EventId == CacheUnwritableEvent);
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.Contains(cacheDir, warning.Message, StringComparison.Ordinal);
            Assert.Contains("cannot create it", warning.Message, StringComparison.Ordinal);
            Assert.Contains("served from memory", warning.Message, StringComparison.Ordinal);
            Assert.Contains("will not survive a restart", warning.Message, StringComparison.Ordinal);
            Assert.True(File.Exists(regularFile));
        }
        finally
        {
            Directory.Delete(blocker, recursive: true);
        }
    }

    [Fact]
    public async Task FetchAsync_CacheStillUncreatableOnRefresh_ConditionalRequestFromMemoryAndNoSecondWarning()
    {
        var blocker = Directory.CreateTempSubdirectory("palisade-blocker-").FullName;
        try
        {
            var regularFile = Path.Combine(blocker, "data");
            await File.WriteAllTextAsync(regularFile, "not a directory");
            await using var h = new FetcherHarness(cacheDir: Path.Combine(regularFile, "lists"));
            var first = SyntheticLists.Adblock(300);
            h.Server.Respond = ScriptedResponses.Ok(first, etag: "\"v1\"");
            var source = h.Source();
            await h.FetchAsync(source);

            var notModified = await h.FetchAsync(source, force: true);

            Assert.Equal(FetchStatus.NotModified, notModified.Status);
            Assert.Equal("\"v1\"", h.Server.Requests[^1].IfNoneMatch);
            Assert.Equal(first, notModified.Body!.Value.ToArray());

            var second = SyntheticLists.Adblock(400, "more");
            h.Server.Respond = ScriptedResponses.Ok(second, etag: "\"v2\"");
            var changed = await h.FetchAsync(source, force: true);

            Assert.Equal(FetchStatus.Downloaded, changed.Status);
            Assert.Equal(second, changed.Body!.Value.ToArray());
            Assert.Equal(second, h.Fetcher.InMemoryCopy(source)!.Value.ToArray());
            Assert.Single(h.Log.Lines, l => l.EventId == CacheUnwritableEvent);
        }
        finally
        {
            Directory.Delete(blocker, recursive: true);
        }
    }

    [Fact]
    public async Task FetchAsync_FailureAfterAMemoryDownload_KeepsTheMemoryCopyInForce()
    {
        var blocker = Directory.CreateTempSubdirectory("palisade-blocker-").FullName;
        try
        {
            var regularFile = Path.Combine(blocker, "data");
            await File.WriteAllTextAsync(regularFile, "not a directory");
            await using var h = new FetcherHarness(cacheDir: Path.Combine(regularFile, "lists"));
            var list = SyntheticLists.Adblock(300);
            h.Server.Respond = ScriptedResponses.Ok(list);
            var source = h.Source();
            await h.FetchAsync(source);
            h.Server.Respond = (context, _) => ScriptedResponses.Status(context, 500);

            var failed = await h.FetchAsync(source, force: true);

            Assert.Equal(FetchStatus.Failed, failed.Status);
            Assert.Contains("500", failed.Error, StringComparison.Ordinal);
            Assert.Equal(list, failed.Body!.Value.ToArray());
            Assert.Equal(list, h.Fetcher.InMemoryCopy(source)!.Value.ToArray());
        }
        finally
        {
            Directory.Delete(blocker, recursive: true);
        }
    }

    [TmpfsFact]
    public async Task FetchAsync_CacheRemountedReadOnly_KeepsTheStoredCopyAndServesTheNewListFromMemory()
    {
        using var tmpfs = TmpfsMount.Mount(1024 * 1024);
        var cacheDir = Path.Combine(tmpfs.Path, "lists");
        await using var h = new FetcherHarness(cacheDir: cacheDir);
        var source = h.Source();
        var old = SyntheticLists.Adblock(300);
        h.Server.Respond = ScriptedResponses.Ok(old, etag: "\"v1\"");
        var stored = await h.FetchAsync(source);
        Assert.Equal(FetchStatus.Downloaded, stored.Status);
        Assert.False(stored.InMemory);
        var before = FetcherHarness.Snapshot(stored);
        tmpfs.MakeReadOnly();

        // A 304 whose fetch time cannot be written: the stored copy stays in force, no failure.
        var notModified = await h.FetchAsync(source, force: true);
        Assert.Equal(FetchStatus.NotModified, notModified.Status);
        Assert.Equal(stored.Path, notModified.Path);

        var fresh = SyntheticLists.Adblock(500, "new");
        h.Server.Respond = ScriptedResponses.Ok(fresh, etag: "\"v2\"");
        var result = await h.FetchAsync(source, force: true);

        Assert.Equal(FetchStatus.Downloaded, result.Status);
        Assert.Equal(fresh, result.Body!.Value.ToArray());
        AssertUnchanged(before, stored);
        Assert.Equal(stored.Path, h.Fetcher.LastGoodCopy(source));
        Assert.Equal(fresh, h.Fetcher.InMemoryCopy(source)!.Value.ToArray());
        Assert.Empty(h.TempFiles());
        var warning = Assert.Single(h.Log.Lines, l => l.EventId == CacheUnwritableEvent);
        Assert.Contains(cacheDir, warning.Message, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", warning.Message, StringComparison.Ordinal);
    }

    private static void AssertUnchanged((byte[] List, byte[] Metadata) before, FetchResult stored)
    {
        var after = FetcherHarness.Snapshot(stored);
        Assert.Equal(before.List, after.List);
        Assert.Equal(before.Metadata, after.Metadata);
    }
}
