using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Server.Blocklists;
using Palisade.Server.Blocklists.Matching;
using Palisade.Server.Configuration;
using Palisade.Server.Tests.Blocklists.Sources;

namespace Palisade.Server.Tests.Blocklists;

/// <summary>A cache directory that cannot be created: the manager still blocks from the downloaded list, held in memory.</summary>
public sealed class BlocklistManagerUnwritableCacheTests : IDisposable
{
    private readonly string _blocker = Directory.CreateTempSubdirectory("palisade-blocker-").FullName;

    public void Dispose() => Directory.Delete(_blocker, recursive: true);

    [Fact]
    public async Task UpdateAsync_CacheDirectoryCannotBeCreated_BlocksFromTheDownloadInMemory()
    {
        var regularFile = Path.Combine(_blocker, "data");
        await File.WriteAllTextAsync(regularFile, "not a directory");
        await using var h = new FetcherHarness(cacheDir: Path.Combine(regularFile, "lists"));
        h.Server.Respond = ScriptedResponses.Ok(SyntheticLists.Adblock(300));
        var options = new BlockingOptions { Lists = [new BlocklistSourceOptions(h.Source().Location, "ads", Subdomains: false)] };
        using var manager = new BlocklistManager(options, h.Fetcher, h.Time, NullLogger<BlocklistManager>.Instance);
        Assert.Equal(MatchOutcome.NotListed, Decide(manager.LoadStored(), "ads-7.example"));

        var results = await manager.UpdateAsync(force: false, progress: null, CancellationToken.None);

        var (_, result) = Assert.Single(results);
        Assert.True(result.InMemory);
        Assert.Equal(MatchOutcome.Blocked, Decide(manager.Current, "ads-7.example"));
        Assert.Equal(MatchOutcome.Blocked, Decide(manager.Current, "sub.ads-299.example"));
        Assert.Equal(MatchOutcome.NotListed, Decide(manager.Current, "example.org"));
        Assert.Equal(300, Assert.Single(manager.Current.Lists).Summary.Rules);

        // A later rebuild (and a failed refresh) keeps the list held in memory in force.
        h.Server.Respond = (context, _) => ScriptedResponses.Status(context, 500);
        await manager.UpdateAsync(force: true, progress: null, CancellationToken.None);
        Assert.Equal(MatchOutcome.Blocked, Decide(manager.Current, "ads-7.example"));
        Assert.Equal(MatchOutcome.Blocked, Decide(manager.LoadStored(), "ads-7.example"));
    }

    private static MatchOutcome Decide(BlocklistSet set, string name) => set.Decide(name, out _, out _);
}
