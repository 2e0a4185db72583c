using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Server.Blocklists.Sources;

namespace Palisade.Server.Tests.Blocklists.Sources;

public sealed class BlocklistFetcherTests
{
    private const string ETag = "\"v1\"";

    [Fact]
    public async Task FetchAsync_FirstDownload_StoresCopyAndMetadataInCacheDir()
    {
        await using var h = new FetcherHarness();
        var body = SyntheticLists.Adblock(300);
        var modified = new DateTimeOffset(2025, 5, 30, 8, 0, 0, TimeSpan.Zero);
        h.Server.Respond = ScriptedResponses.Ok(body, ETag, modified);
        var source = h.Source();

        var result = await h.FetchAsync(source);

        Assert.Equal(FetchStatus.Downloaded, result.Status);
        Assert.Null(result.Error);
        Assert.Equal(300, result.Rules);
        Assert.Equal(body.Length, result.Bytes);
        Assert.NotNull(result.Path);
        Assert.Equal(h.CacheDir, Path.GetDirectoryName(result.Path));
        Assert.Equal(body, File.ReadAllBytes(result.Path));
        Assert.Equal(result.Path, h.Fetcher.LastGoodCopy(source));

        using var metadata = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(result.Path, ".json")));
        var root = metadata.RootElement;
        Assert.Equal(source.Location, root.GetProperty("url").GetString());
        Assert.Equal(ETag, root.GetProperty("etag").GetString());
        Assert.Equal(modified, root.GetProperty("lastModified").GetDateTimeOffset());
        Assert.Equal(h.Time.GetUtcNow(), root.GetProperty("fetchedAt").GetDateTimeOffset());
        Assert.Equal(TimeSpan.Zero, root.GetProperty("fetchedAt").GetDateTimeOffset().Offset);
        Assert.Equal(body.Length, root.GetProperty("bytes").GetInt64());
        Assert.Equal(300, root.GetProperty("rules").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), root.GetProperty("sha256").GetString());
        Assert.Empty(h.TempFiles());
        Assert.Single(h.Server.Requests);
        Assert.Null(h.Server.Requests[0].IfNoneMatch);
        Assert.StartsWith("Palisade/", h.Server.Requests[0].UserAgent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_HostsList_CountsItsRules()
    {
        await using var h = new FetcherHarness();
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Hosts(250));

        var result = await h.FetchAsync(h.Source("hosts"));

        Assert.Equal(FetchStatus.Downloaded, result.Status);
        Assert.Equal(250, result.Rules);
    }

    [Fact]
    public async Task FetchAsync_ChunkedBodyWithoutLength_Downloads()
    {
        await using var h = new FetcherHarness();
        var body = SyntheticLists.Adblock(400);
        h.Server.Respond = ScriptedResponses.Chunked(body);

        var result = await h.FetchAsync(h.Source());

        Assert.Equal(FetchStatus.Downloaded, result.Status);
        Assert.Equal(body, File.ReadAllBytes(result.Path!));
    }

    [Fact]
    public async Task FetchAsync_WithinRefreshInterval_MakesNoRequest()
    {
        await using var h = new FetcherHarness();
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Adblock(300), ETag);
        var source = h.Source();
        var first = await h.FetchAsync(source);
        h.Time.Advance(TimeSpan.FromHours(23));

        var second = await h.FetchAsync(source);

        Assert.Equal(FetchStatus.UpToDate, second.Status);
        Assert.Equal(first.Path, second.Path);
        Assert.Equal(first.Bytes, second.Bytes);
        Assert.Equal(300, second.Rules);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task FetchAsync_AfterRefreshInterval_SendsIfNoneMatchAndKeepsCopyOn304()
    {
        await using var h = new FetcherHarness();
        var body = SyntheticLists.Adblock(300);
        h.Server.Respond = ScriptedResponses.Ok(body, ETag);
        var source = h.Source();
        var first = await h.FetchAsync(source);
        h.Time.Advance(TimeSpan.FromHours(25));

        var second = await h.FetchAsync(source);

        Assert.Equal(FetchStatus.NotModified, second.Status);
        Assert.Equal(2, h.Server.Requests.Count);
        Assert.Equal(ETag, h.Server.Requests[1].IfNoneMatch);
        Assert.Equal(first.Path, second.Path);
        Assert.Equal(300, second.Rules);
        Assert.Equal(body, File.ReadAllBytes(second.Path!));
        using var metadata = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(second.Path!, ".json")));
        Assert.Equal(h.Time.GetUtcNow(), metadata.RootElement.GetProperty("fetchedAt").GetDateTimeOffset());
        Assert.Empty(h.TempFiles());

        // The renewed fetch time starts a new interval.
        h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(FetchStatus.UpToDate, (await h.FetchAsync(source)).Status);
        Assert.Equal(2, h.Server.Requests.Count);
    }

    [Fact]
    public async Task FetchAsync_LastModifiedOnly_SendsIfModifiedSince()
    {
        await using var h = new FetcherHarness();
        var modified = new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero);
        h.Server.Respond = ScriptedResponses.OkByDate(SyntheticLists.Adblock(300), modified);
        var source = h.Source();
        await h.FetchAsync(source);

        var second = await h.FetchAsync(source, force: true);

        Assert.Equal(FetchStatus.NotModified, second.Status);
        Assert.Null(h.Server.Requests[1].IfNoneMatch);
        Assert.Equal(modified, DateTimeOffset.Parse(h.Server.Requests[1].IfModifiedSince!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task FetchAsync_ForcedWithinRefreshInterval_FetchesConditionally()
    {
        await using var h = new FetcherHarness();
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Adblock(300), ETag);
        var source = h.Source();
        await h.FetchAsync(source);

        var forced = await h.FetchAsync(source, force: true);

        Assert.Equal(FetchStatus.NotModified, forced.Status);
        Assert.Equal(2, h.Server.Requests.Count);
        Assert.Equal(ETag, h.Server.Requests[1].IfNoneMatch);
    }

    [Fact]
    public async Task FetchAsync_ChangedList_ReplacesCopyAndMetadata()
    {
        await using var h = new FetcherHarness();
        var source = h.Source();
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Adblock(300), ETag);
        await h.FetchAsync(source);
        var grown = SyntheticLists.Adblock(500, "more");
        h.Server.Respond = ScriptedResponses.Ok(grown, "\"v2\"");

        var result = await h.FetchAsync(source, force: true);

        Assert.Equal(FetchStatus.Downloaded, result.Status);
        Assert.Equal(500, result.Rules);
        Assert.Equal(grown, File.ReadAllBytes(result.Path!));
        using var metadata = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(result.Path!, ".json")));
        Assert.Equal("\"v2\"", metadata.RootElement.GetProperty("etag").GetString());
        Assert.Equal(500, metadata.RootElement.GetProperty("rules").GetInt32());
        Assert.Empty(h.TempFiles());
    }

    [Fact]
    public async Task FetchAsync_ListShrankButKeptHalf_IsAccepted()
    {
        await using var h = new FetcherHarness();
        var source = h.Source();
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Adblock(300));
        await h.FetchAsync(source);
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Adblock(150));

        var result = await h.FetchAsync(source, force: true);

        Assert.Equal(FetchStatus.Downloaded, result.Status);
        Assert.Equal(150, result.Rules);
    }

    [Fact]
    public async Task FetchAsync_CorruptMetadata_FetchesUnconditionally()
    {
        await using var h = new FetcherHarness();
        var source = h.Source();
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Adblock(300), ETag);
        var first = await h.FetchAsync(source);
        await File.WriteAllTextAsync(Path.ChangeExtension(first.Path!, ".json"), "{ not json");

        var second = await h.FetchAsync(source);

        Assert.Equal(FetchStatus.Downloaded, second.Status);
        Assert.Equal(2, h.Server.Requests.Count);
        Assert.Null(h.Server.Requests[1].IfNoneMatch);
        Assert.Equal(300, second.Rules);
    }

    [Fact]
    public async Task FetchAsync_Progress_ReportsBytesUpToTheTotal()
    {
        await using var h = new FetcherHarness();
        var body = SyntheticLists.Adblock(20_000);
        h.Server.Respond = ScriptedResponses.Chunked(body);
        var progress = new SyncProgress();

        var result = await h.FetchAsync(h.Source(), progress: progress);

        Assert.Equal(FetchStatus.Downloaded, result.Status);
        Assert.NotEmpty(progress.Values);
        Assert.Equal(body.Length, progress.Values[^1]);
        Assert.True(progress.Values.SequenceEqual(progress.Values.Order()));
    }

    [Fact]
    public async Task FetchAsync_TwoListsOfOneName_AreStoredApart()
    {
        await using var h = new FetcherHarness();
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Adblock(300));
        var a = h.Source("a.txt", "same");
        var b = h.Source("b.txt", "same");

        var first = await h.FetchAsync(a);
        var second = await h.FetchAsync(b);

        Assert.Equal(FetchStatus.Downloaded, second.Status);
        Assert.NotEqual(first.Path, second.Path);
        Assert.Equal(4, Directory.GetFiles(h.CacheDir).Length);
    }

    [Fact]
    public async Task FetchAsync_NameWithPathCharacters_StaysInCacheDir()
    {
        await using var h = new FetcherHarness();
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Adblock(300));

        var result = await h.FetchAsync(h.Source(name: "../../etc/Ads & Trackers"));

        Assert.Equal(h.CacheDir, Path.GetDirectoryName(result.Path));
        Assert.StartsWith("etc-ads-trackers-", Path.GetFileName(result.Path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_LeftoverTempFilesFromACrash_AreRemovedAtNextStart()
    {
        await using var h = new FetcherHarness();
        var body = SyntheticLists.Adblock(300);
        h.Server.Respond = ScriptedResponses.Ok(body, ETag);
        var source = h.Source();
        var good = await h.FetchAsync(source);
        var leftover = Path.Combine(h.CacheDir, "test-list-0badf00d.download.0123456789abcdef.tmp");
        await File.WriteAllBytesAsync(leftover, body.AsMemory(0, 100).ToArray());

        // The next start: a new fetcher over the same directory.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var restarted = new BlocklistFetcher(http, h.CacheDir, h.Time, NullLogger<BlocklistFetcher>.Instance);
        Assert.Equal(good.Path, restarted.LastGoodCopy(source));
        var result = await restarted.FetchAsync(source, FetcherHarness.Day, force: false, CancellationToken.None);

        Assert.Equal(FetchStatus.UpToDate, result.Status);
        Assert.False(File.Exists(leftover));
        Assert.Equal(body, File.ReadAllBytes(good.Path!));
    }

    [Fact]
    public async Task LastGoodCopy_NothingFetched_ReturnsNull()
    {
        await using var h = new FetcherHarness();

        Assert.Null(h.Fetcher.LastGoodCopy(h.Source()));
        Assert.Null(h.Fetcher.LastGoodCopy(new BlocklistSource(Path.Combine(h.Root, "missing.txt"), "missing", false)));
    }
}
