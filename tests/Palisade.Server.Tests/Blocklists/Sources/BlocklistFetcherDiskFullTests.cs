using Microsoft.Extensions.Logging;
using Palisade.Server.Blocklists.Sources;

namespace Palisade.Server.Tests.Blocklists.Sources;

/// <summary>
/// A cache directory on a tiny tmpfs that fills up (ENOSPC) part-way through a download: the download is still applied
/// from memory, byte for byte; the partial file is deleted, never moved over the last good copy; and when the disk has
/// room again the list is stored and the log says so.
/// </summary>
public sealed class BlocklistFetcherDiskFullTests
{
    private const int CacheUnwritableEvent = 306;
    private const int CacheWritableAgainEvent = 308;

    [TmpfsFact]
    public async Task FetchAsync_DiskFillsUpMidDownload_ServesTheWholeListFromMemoryAndLeavesNoPartialFile()
    {
        using var tmpfs = TmpfsMount.Mount(64 * 1024);
        var cacheDir = Path.Combine(tmpfs.Path, "lists");
        await using var h = new FetcherHarness(cacheDir: cacheDir);
        var list = SyntheticLists.Adblock(8000);
        Assert.True(list.Length > 2 * 64 * 1024, "the list must not fit on the disk");
        h.Server.Respond = ScriptedResponses.Ok(list);
        var source = h.Source();

        var result = await h.FetchAsync(source);

        Assert.Equal(FetchStatus.Downloaded, result.Status);
        Assert.Equal(8000, result.Rules);

        // The part written before the disk filled up was read back: the body is whole and in order.
        Assert.Equal(list, result.Body!.Value.ToArray());
        Assert.Empty(Directory.GetFiles(cacheDir));
        Assert.Null(h.Fetcher.LastGoodCopy(source));
        var warning = Assert.Single(h.Log.Lines, l => l.EventId == CacheUnwritableEvent);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(cacheDir, warning.Message, StringComparison.Ordinal);
        Assert.Contains("No space left on device", warning.Message, StringComparison.Ordinal);
        Assert.Contains("served from memory", warning.Message, StringComparison.Ordinal);
    }

    [TmpfsFact]
    public async Task FetchAsync_DiskFullThenRoomAgain_LastGoodCopyUntouchedThenStoredOnNotModified()
    {
        using var tmpfs = TmpfsMount.Mount(512 * 1024);
        var cacheDir = Path.Combine(tmpfs.Path, "lists");
        await using var h = new FetcherHarness(cacheDir: cacheDir);
        var source = h.Source();
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Adblock(300), etag: "\"v1\"");
        var stored = await h.FetchAsync(source);
        Assert.False(stored.InMemory);
        var before = FetcherHarness.Snapshot(stored);
        var filler = tmpfs.Fill();

        var bigger = SyntheticLists.Adblock(8000, "new");
        h.Server.Respond = ScriptedResponses.Ok(bigger, etag: "\"v2\"");
        var full = await h.FetchAsync(source, force: true);

        Assert.Equal(FetchStatus.Downloaded, full.Status);
        Assert.Equal(bigger, full.Body!.Value.ToArray());
        AssertUnchanged(before, stored);
        Assert.Empty(h.TempFiles());
        Assert.Single(h.Log.Lines, l => l.EventId == CacheUnwritableEvent);
        Assert.DoesNotContain(h.Log.Lines, l => l.EventId == CacheWritableAgainEvent);

        File.Delete(filler);
        var recovered = await h.FetchAsync(source, force: true);

        // The server says v2 is current; the copy held in memory is stored now that there is room.
        Assert.Equal("\"v2\"", h.Server.Requests[^1].IfNoneMatch);
        Assert.Equal(FetchStatus.NotModified, recovered.Status);
        Assert.False(recovered.InMemory);
        Assert.Equal(stored.Path, recovered.Path);
        Assert.Equal(bigger, await File.ReadAllBytesAsync(recovered.Path!));
        Assert.Null(h.Fetcher.InMemoryCopy(source));
        Assert.Single(h.Log.Lines, l => l.EventId == CacheWritableAgainEvent && l.Message.Contains(cacheDir, StringComparison.Ordinal));
        Assert.Single(h.Log.Lines, l => l.EventId == CacheUnwritableEvent);
        Assert.Empty(h.TempFiles());
    }

    [TmpfsFact]
    public async Task FetchAsync_DiskFullThenRoomAgain_NextDownloadIsStored()
    {
        using var tmpfs = TmpfsMount.Mount(512 * 1024);
        await using var h = new FetcherHarness(cacheDir: Path.Combine(tmpfs.Path, "lists"));
        var source = h.Source();
        var filler = tmpfs.Fill();
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Adblock(300));
        Assert.True((await h.FetchAsync(source)).InMemory);

        File.Delete(filler);
        var list = SyntheticLists.Adblock(400, "next");
        h.Server.Respond = ScriptedResponses.Ok(list);
        var result = await h.FetchAsync(source, force: true);

        Assert.Equal(FetchStatus.Downloaded, result.Status);
        Assert.False(result.InMemory);
        Assert.Equal(list, await File.ReadAllBytesAsync(result.Path!));
        Assert.Null(h.Fetcher.InMemoryCopy(source));
        Assert.Single(h.Log.Lines, l => l.EventId == CacheWritableAgainEvent);
    }

    private static void AssertUnchanged((byte[] List, byte[] Metadata) before, FetchResult stored)
    {
        var after = FetcherHarness.Snapshot(stored);
        Assert.Equal(before.List, after.List);
        Assert.Equal(before.Metadata, after.Metadata);
    }
}
