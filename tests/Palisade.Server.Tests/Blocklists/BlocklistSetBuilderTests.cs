using Palisade.Server.Blocklists;
using Palisade.Server.Blocklists.Matching;

namespace Palisade.Server.Tests.Blocklists;

/// <summary>Building a set from inputs some of which cannot be read, and citing inline rules by their config line.</summary>
public sealed class BlocklistSetBuilderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-setbuilder-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Build_MissingFileBeforeAGoodList_ReportedWithPathAndReason_RulesCiteTheRightList()
    {
        string missing = Path.Combine(_directory, "missing.txt");
        string good = Path.Combine(_directory, "good.txt");
        File.WriteAllText(good, "||ads.example^\n");
        var reported = new List<UnreadableList>();

        var set = BlocklistSetBuilder.Build(
        [
            new BlocklistInput("missing", missing, missing, null, Subdomains: false, IsAllowList: false),
            new BlocklistInput("good", good, good, null, Subdomains: false, IsAllowList: false),
            new BlocklistInput("blocking.deny", "config", null, ["x.example"], Subdomains: false, IsAllowList: false),
        ],
        reported.Add);

        var failure = Assert.Single(reported);
        Assert.Equal(new UnreadableList("missing", missing, "No such file or directory (ENOENT)"), failure);
        Assert.Equal([failure], set.Unreadable);
        Assert.Equal(["good", "blocking.deny"], set.Lists.Select(l => l.Name));
        Assert.Equal(MatchOutcome.Blocked, set.Decide("www.ads.example", out _, out _));
        Assert.Equal("good", set.Lists[Assert.Single(set.Matcher.ExplainAll("www.ads.example")).ListIndex].Name);
        Assert.Equal("2 domains and 0 regex rules from 1 list and 1 inline deny entry", set.Describe());
    }

    [Fact]
    public void Build_InlineRulesWithConfigLines_RulesCiteTheFileLine()
    {
        var set = BlocklistSetBuilder.Build(
        [
            new BlocklistInput("blocking.allow", "config", null, ["a.example", "b.example"], Subdomains: false, IsAllowList: true) { InlineLineNumbers = [127, 128] },
        ]);

        var explanation = Assert.Single(set.Matcher.ExplainAll("b.example"));
        Assert.Equal(128, explanation.Rule.Line);
        Assert.Equal(2, set.Lists[0].InlineEntries);
        Assert.Equal("2 domains and 0 regex rules from 2 inline allow entries", set.Describe());
    }
}
