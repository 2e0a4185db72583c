using System.Net;
using Palisade.Server.Blocklists.Sources;

namespace Palisade.Server.Tests.Blocklists.Sources;

/// <summary>Every failed or suspicious download leaves the last good copy (list and metadata) exactly as it was.</summary>
public sealed class BlocklistFetcherFailureTests
{
    private const int GoodRules = 300;

    [Fact]
    public Task FetchAsync_ServerError_KeepsLastGoodCopy() =>
        AssertFailureKeepsCopyAsync((context, _) => ScriptedResponses.Status(context, 500), "HTTP 500");

    [Fact]
    public Task FetchAsync_NotFound_KeepsLastGoodCopy() =>
        AssertFailureKeepsCopyAsync((context, _) => ScriptedResponses.Status(context, 404), "HTTP 404");

    [Fact]
    public Task FetchAsync_EmptyBody_KeepsLastGoodCopy() =>
        AssertFailureKeepsCopyAsync(ScriptedResponses.Ok([]), "empty body");

    [Fact]
    public Task FetchAsync_BodyCutShort_KeepsLastGoodCopy() =>
        AssertFailureKeepsCopyAsync(ScriptedResponses.CutShort(SyntheticLists.Adblock(2000), sent: 5000), "cut short");

    [Fact]
    public Task FetchAsync_ListShrankByNinetyPercent_KeepsLastGoodCopy() =>
        AssertFailureKeepsCopyAsync(ScriptedResponses.Ok(SyntheticLists.Adblock(GoodRules / 10)), "shrank from 300 to 30 rules");

    [Fact]
    public Task FetchAsync_ListWithoutRules_KeepsLastGoodCopy() =>
        AssertFailureKeepsCopyAsync(ScriptedResponses.Ok(SyntheticLists.CommentsOnly()), "no rules");

    [Fact]
    public Task FetchAsync_DeclaredLengthOverSizeCap_KeepsLastGoodCopy() =>
        AssertFailureKeepsCopyAsync(
            ScriptedResponses.Ok(SyntheticLists.Adblock(2000)),
            "over the size cap of 10,000",
            new BlocklistFetcherOptions { MaxBytes = 10_000 });

    [Fact]
    public Task FetchAsync_ChunkedBodyOverSizeCap_KeepsLastGoodCopy() =>
        AssertFailureKeepsCopyAsync(
            ScriptedResponses.Chunked(SyntheticLists.Adblock(2000)),
            "over the size cap of 10,000",
            new BlocklistFetcherOptions { MaxBytes = 10_000 });

    [Fact]
    public Task FetchAsync_ServerNeverAnswers_TimesOutAndKeepsLastGoodCopy() =>
        AssertFailureKeepsCopyAsync(
            ScriptedResponses.Hang,
            "timed out after 0.5 s",
            new BlocklistFetcherOptions { Timeout = TimeSpan.FromMilliseconds(500) },
            async (h, source) =>
            {
                var requested = h.Server.NextRequest();
                var fetch = h.Fetcher.FetchAsync(source, FetcherHarness.Day, force: true, CancellationToken.None);
                await requested.WaitAsync(TimeSpan.FromSeconds(10));
                return await AdvanceUntilDoneAsync(h, fetch, TimeSpan.FromMilliseconds(500));
            });

    [Fact]
    public Task FetchAsync_BodyStalls_FailsAsStalledAndKeepsLastGoodCopy() =>
        AssertFailureKeepsCopyAsync(
            ScriptedResponses.Stall(SyntheticLists.Adblock(2000), sent: 1000),
            "stalled: no data for 1 s",
            new BlocklistFetcherOptions { StallTimeout = TimeSpan.FromSeconds(1) },
            async (h, source) =>
            {
                var progress = new SyncProgress();
                var fetch = h.Fetcher.FetchAsync(source, FetcherHarness.Day, force: true, progress, CancellationToken.None);
                await progress.First.WaitAsync(TimeSpan.FromSeconds(10));
                return await AdvanceUntilDoneAsync(h, fetch, TimeSpan.FromSeconds(1));
            });

    [Fact]
    public async Task FetchAsync_CallerCancels_ThrowsAndKeepsLastGoodCopy()
    {
        await using var h = new FetcherHarness();
        var source = h.Source();
        var good = await DownloadGoodCopyAsync(h, source);
        var before = FetcherHarness.Snapshot(good);
        h.Server.Respond = ScriptedResponses.Hang;
        using var cancel = new CancellationTokenSource();
        var requested = h.Server.NextRequest();

        var fetch = h.Fetcher.FetchAsync(source, FetcherHarness.Day, force: true, cancel.Token);
        await requested.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch.WaitAsync(TimeSpan.FromSeconds(10)));
        AssertUnchanged(before, FetcherHarness.Snapshot(good));
        Assert.Empty(h.TempFiles());
    }

    [Fact]
    public async Task FetchAsync_FailureWithoutCopy_HasNoPath()
    {
        await using var h = new FetcherHarness();
        h.Server.Respond = (context, _) => ScriptedResponses.Status(context, 503);
        var source = h.Source();

        var result = await h.FetchAsync(source);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Null(result.Path);
        Assert.Null(result.Rules);
        Assert.Equal(0, result.Bytes);
        Assert.Contains(source.Location, result.Error, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", result.Error, StringComparison.Ordinal);
        Assert.Null(h.Fetcher.LastGoodCopy(source));
        Assert.Empty(h.TempFiles());
    }

    [Fact]
    public async Task FetchAsync_ConnectionRefused_Fails()
    {
        await using var h = new FetcherHarness();
        var closedPort = ClosedLoopbackPort();
        var source = new BlocklistSource($"http://127.0.0.1:{closedPort}/list.txt", "refused", false);

        var result = await h.FetchAsync(source);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains(source.Location, result.Error, StringComparison.Ordinal);
        Assert.Contains("request failed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_UserInfoInUrl_IsNotRepeatedInTheError()
    {
        await using var h = new FetcherHarness();
        h.Server.Respond = (context, _) => ScriptedResponses.Status(context, 500);
        var source = new BlocklistSource($"http://user:secret@127.0.0.1:{h.Server.Port}/list.txt", "private", false);

        var result = await h.FetchAsync(source);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.DoesNotContain("secret", result.Error, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{h.Server.Port}/list.txt", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_UnsupportedScheme_FailsWithoutRequest()
    {
        await using var h = new FetcherHarness();
        var source = new BlocklistSource("ftp://127.0.0.1:2121/list.txt", "ftp", false);

        var result = await h.FetchAsync(source);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains("unsupported scheme 'ftp'", result.Error, StringComparison.Ordinal);
        Assert.Contains(source.Location, result.Error, StringComparison.Ordinal);
    }

    private static async Task AssertFailureKeepsCopyAsync(
        Func<HttpListenerContext, CancellationToken, Task> respond,
        string because,
        BlocklistFetcherOptions? options = null,
        Func<FetcherHarness, BlocklistSource, Task<FetchResult>>? fetch = null)
    {
        await using var h = new FetcherHarness(options);
        var source = h.Source();
        var good = await DownloadGoodCopyAsync(h, source);
        var before = FetcherHarness.Snapshot(good);
        h.Time.Advance(TimeSpan.FromDays(2));
        h.Server.Respond = respond;

        var result = fetch is null ? await h.FetchAsync(source, force: true) : await fetch(h, source);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.NotNull(result.Error);
        Assert.Contains(source.Location, result.Error, StringComparison.Ordinal);
        Assert.Contains(because, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Error);
        Assert.Equal(good.Path, result.Path);
        Assert.Equal(good.Bytes, result.Bytes);
        Assert.Equal(GoodRules, result.Rules);
        AssertUnchanged(before, FetcherHarness.Snapshot(good));
        Assert.Equal(good.Path, h.Fetcher.LastGoodCopy(source));
        Assert.Empty(h.TempFiles());
        Assert.Equal(2, h.Server.Requests.Count);
    }

    private static void AssertUnchanged((byte[] List, byte[] Metadata) before, (byte[] List, byte[] Metadata) after)
    {
        Assert.Equal(before.List, after.List);
        Assert.Equal(before.Metadata, after.Metadata);
    }

    private static async Task<FetchResult> DownloadGoodCopyAsync(FetcherHarness h, BlocklistSource source)
    {
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Adblock(GoodRules), "\"good\"", h.Time.GetUtcNow().AddDays(-1));
        var good = await h.FetchAsync(source);
        Assert.Equal(FetchStatus.Downloaded, good.Status);
        Assert.Equal(GoodRules, good.Rules);
        return good;
    }

    /// <summary>Moves the fake clock on a step at a time until the fetch ends (its timers fire on the fake clock).</summary>
    private static async Task<FetchResult> AdvanceUntilDoneAsync(FetcherHarness h, Task<FetchResult> fetch, TimeSpan step)
    {
        for (var i = 0; i < 200 && !fetch.IsCompleted; i++)
        {
            h.Time.Advance(step);
            await Task.WhenAny(fetch, Task.Delay(50));
        }

        return await fetch.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static int ClosedLoopbackPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
