using Palisade.Server.Blocklists;
using Palisade.Server.Blocklists.Matching;
using Palisade.Server.Tests.Blocklists.Parsers;
using Palisade.TestSupport;

namespace Palisade.Server.Tests.Blocklists;

/// <summary>
/// The real community lists (found by <see cref="SharedBlocklists"/>; see SOURCES.md in ../shared/data/blocklists)
/// loaded as the server loads them: sampled entries are blocked, their unlisted parents are not, subdomains follow
/// each format's semantics, and no list can break localhost.
/// </summary>
public sealed class RealListsBlockingTests
{
    [RealListsTheory]
    [InlineData("hagezi-hosts-light.txt", false)]
    [InlineData("hagezi-domains-light.txt", false)]
    [InlineData("stevenblack-unified-trimmed-domains.txt", false)]
    [InlineData("hagezi-wildcard-multi.txt", true)]
    [InlineData("hagezi-adblock-light.txt", true)]
    [InlineData("hagezi-wildcard-pro-onlydomains.txt", false)]
    public void RealList_SampledEntries_BlockedAsTheFormatSays(string file, bool coversSubdomains)
    {
        string path = SharedBlocklists.PathOf(file);
        var set = BlocklistSetBuilder.Build([new BlocklistInput(file, path, path, null, Subdomains: false, IsAllowList: false)]);
        var entries = Entries(path);
        Assert.True(entries.Count > 10_000, $"{file}: only {entries.Count} entries read");

        var random = new Random(4);
        for (int i = 0; i < 200; i++)
        {
            string entry = entries[random.Next(entries.Count)];
            Assert.Equal(MatchOutcome.Blocked, set.Decide(entry, out _, out _));
            Assert.Equal(coversSubdomains ? MatchOutcome.Blocked : Expected(entries, "zz-unlisted." + entry), set.Decide("zz-unlisted." + entry, out _, out _));
        }

        foreach (string local in new[] { "localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost", "ip6-loopback" })
        {
            Assert.NotEqual(MatchOutcome.Blocked, set.Decide(local, out _, out _));
        }
    }

    [RealListsFact]
    public void ExactList_UnlistedParentOfAnEntry_NotBlocked()
    {
        string path = SharedBlocklists.PathOf("hagezi-domains-light.txt");
        var entries = Entries(path);
        var listed = entries.ToHashSet(StringComparer.Ordinal);
        var set = BlocklistSetBuilder.Build([new BlocklistInput("light", path, path, null, Subdomains: false, IsAllowList: false)]);
        int checkedParents = 0;
        foreach (string entry in entries.Take(20_000))
        {
            string parent = entry[(entry.IndexOf('.', StringComparison.Ordinal) + 1)..];
            if (parent.Contains('.', StringComparison.Ordinal) && !listed.Contains(parent))
            {
                Assert.Equal(MatchOutcome.NotListed, set.Decide(parent, out _, out _));
                checkedParents++;
            }
        }

        Assert.True(checkedParents > 100);
    }

    [RealListsFact]
    public void AdGuardList_ExceptionBeatsBlock()
    {
        string path = SharedBlocklists.PathOf("adguard-dns-filter-without-privacy.txt");
        var set = BlocklistSetBuilder.Build([new BlocklistInput("adguard", path, path, null, Subdomains: false, IsAllowList: false)]);
        var exceptions = File.ReadLines(path)
            .Where(l => l.StartsWith("@@||", StringComparison.Ordinal) && l.EndsWith("^|", StringComparison.Ordinal) && !l.Contains('*', StringComparison.Ordinal))
            .Select(l => l[4..^2])
            .ToList();
        Assert.True(exceptions.Count > 100);
        Assert.All(exceptions, name => Assert.Equal(MatchOutcome.Allowed, set.Decide(name, out _, out _)));
    }

    /// <summary>In an exact list, a name is blocked only when it is itself an entry.</summary>
    private static MatchOutcome Expected(List<string> entries, string name) =>
        entries.Contains(name) ? MatchOutcome.Blocked : MatchOutcome.NotListed;

    /// <summary>An independent reading of a list's entries: the last token of each non-comment line, prefixes stripped.</summary>
    private static List<string> Entries(string path) =>
        [.. File.ReadLines(path)
            .Where(l => l.Length > 0 && l[0] is not ('#' or '!' or '['))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => t != "0.0.0.0"))
            .Select(t => t.TrimStart('|', '*', '.').TrimEnd('^').ToLowerInvariant())
            .Where(t => t.Contains('.', StringComparison.Ordinal) && !t.Contains('_', StringComparison.Ordinal))];
}
