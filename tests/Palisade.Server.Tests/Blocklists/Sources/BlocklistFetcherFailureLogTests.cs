using Microsoft.Extensions.Logging;

namespace Palisade.Server.Tests.Blocklists.Sources;

/// <summary>A failed download is one warning, naming the URL once and saying truthfully what is in force.</summary>
public sealed class BlocklistFetcherFailureLogTests
{
    private const int FailedEvent = 303;

    [Fact]
    public async Task FetchAsync_FailureWithoutCopy_OneWarningSayingNoCopyYet()
    {
        await using var h = new FetcherHarness();
        h.Server.Respond = (context, _) => ScriptedResponses.Status(context, 503);
        var source = h.Source();

        await h.FetchAsync(source);

        var warning = Assert.Single(h.Log.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Equal(FailedEvent, warning.EventId);
        Assert.Equal(
            $"Blocklist Test List was not updated from {source.Location}: HTTP 503 Service Unavailable; no copy yet: the list is not in force",
            warning.Message);
    }

    [Fact]
    public async Task FetchAsync_FailureAfterAGoodCopy_OneWarningSayingTheCopyStays()
    {
        await using var h = new FetcherHarness();
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Hosts(250));
        var source = h.Source();
        await h.FetchAsync(source);
        h.Server.Respond = (context, _) => ScriptedResponses.Status(context, 500);

        await h.FetchAsync(source, force: true);

        var warning = Assert.Single(h.Log.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Equal(FailedEvent, warning.EventId);
        Assert.EndsWith("; the last good copy stays in force", warning.Message, StringComparison.Ordinal);
        Assert.Equal(2, warning.Message.Split(source.Location).Length);
    }
}
