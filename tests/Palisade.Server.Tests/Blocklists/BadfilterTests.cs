using Palisade.Server.Blocklists;
using Palisade.Server.Blocklists.Matching;
using Palisade.Server.Blocklists.Parsers;
using Palisade.Server.Tests.Blocklists.Parsers;
using Palisade.TestSupport;

namespace Palisade.Server.Tests.Blocklists;

/// <summary>
/// <c>$badfilter</c>, as AdGuard Home reads it: the rule cancels the identical rule without the modifier (same pattern,
/// same other modifiers), in every list, whichever is read first; the parser delivers it, the set builder applies it.
/// </summary>
public sealed class BadfilterTests
{
    [Theory]
    [InlineData("||linksprf.com^$badfilter", "linksprf.com", RuleMatch.WithSubdomains, RuleAction.Block, false)]
    [InlineData("|linksprf.com^$badfilter", "linksprf.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("wykop.pl$badfilter", "wykop.pl", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("@@||ok.example^$badfilter", "ok.example", RuleMatch.WithSubdomains, RuleAction.Allow, false)]
    [InlineData("||example.com^$important,badfilter", "example.com", RuleMatch.WithSubdomains, RuleAction.Block, true)]
    [InlineData("||example.com^$badfilter,important", "example.com", RuleMatch.WithSubdomains, RuleAction.Block, true)]
    public void Parse_Badfilter_DeliversTheRuleItCancelsAndNoRule(string line, string domain, RuleMatch match, RuleAction action, bool important)
    {
        var badfilters = new List<BadfilterRule>();
        var rules = new List<BlocklistRule>();
        using var reader = new StringReader("! comment\n" + line);

        var summary = BlocklistParser.Parse(reader, BlocklistParseOptions.Default, rules.Add, null, badfilters.Add);

        Assert.Empty(rules);
        var badfilter = Assert.Single(badfilters);
        Assert.Equal(new BadfilterRule(line, 2, new BlocklistRule(domain, match, action, important, 2), null), badfilter);
        Assert.Equal((0, 1, 0), (summary.Rules, summary.Badfilters, summary.SkippedTotal));
    }

    [Fact]
    public void Parse_RegexBadfilter_DeliversTheRegexItCancels()
    {
        var badfilters = new List<BadfilterRule>();
        using var reader = new StringReader("/^ads\\./$badfilter");

        BlocklistParser.Parse(reader, BlocklistParseOptions.Default, _ => { }, null, badfilters.Add);

        Assert.Equal(new RegexRule("^ads\\.", RuleAction.Block, false, 1), Assert.Single(badfilters).CancelsRegex);
    }

    [Fact]
    public void ScanBadfilters_MixedList_OnlyBadfiltersWithTheirLines()
    {
        var badfilters = new List<BadfilterRule>();
        using var reader = new StringReader("||a.example^\n||badfilter.example^\n# x\n||a.example^$badfilter\n");

        BlocklistParser.ScanBadfilters(reader, BlocklistParseOptions.Default, badfilters.Add);

        var badfilter = Assert.Single(badfilters);
        Assert.Equal((4, "a.example"), (badfilter.Line, badfilter.Cancels!.Value.Domain));
    }

    [Fact]
    public void Build_BadfilterInAnyList_CancelsOnlyTheIdenticalRule()
    {
        var set = BlocklistSetBuilder.Build(
        [
            Inline("first", "||before.example^$badfilter", "||x.example^", "||kept.example^$important", "@@||ok.x.example^"),
            Inline("second", "||x.example^", "||before.example^", "||kept.example^$badfilter", "@@||ok.x.example^$badfilter", "0.0.0.0 x.example"),
            Inline("third", "||x.example^$badfilter"),
        ]);

        // ||x.example^ is cancelled in both lists; the hosts entry x.example (exact) is another rule and still blocks.
        Assert.Equal(MatchOutcome.NotListed, set.Decide("sub.x.example", out _, out _));
        Assert.Equal(MatchOutcome.Blocked, set.Decide("x.example", out _, out _));
        // A rule read before its $badfilter is cancelled too.
        Assert.Equal(MatchOutcome.NotListed, set.Decide("before.example", out _, out _));
        // $badfilter without $important does not cancel the $important rule.
        Assert.Equal(MatchOutcome.Blocked, set.Decide("kept.example", out _, out _));
        // A cancelled exception no longer allows.
        Assert.Equal(MatchOutcome.NotListed, set.Decide("ok.x.example", out _, out _));

        Assert.Equal([2, 2, 0], set.Lists.Select(l => l.Summary.Cancelled));
        Assert.Equal([1, 2, 1], set.Lists.Select(l => l.Summary.Badfilters));
        Assert.Contains("2 cancelled by $badfilter; 1 $badfilter rule", set.Lists[0].Summary.ToString(), StringComparison.Ordinal);
        var cancelled = Assert.Single(set.Cancelled, c => c.ListIndex == 0 && c.Rule!.Value.Domain == "x.example");
        Assert.Equal(("||x.example^$badfilter", (ushort)2, 1, 2), (cancelled.By, cancelled.ByListIndex, cancelled.ByLine, cancelled.Rule!.Value.Line));
        Assert.True(cancelled.Covers("deep.sub.x.example"));
        Assert.False(cancelled.Covers("notx.example"));
    }

    [Fact]
    public void Build_RegexBadfilter_CancelsTheRegex()
    {
        var set = BlocklistSetBuilder.Build([Inline("a", "/^ad[0-9]\\./", "/^ad[0-9]\\./$badfilter", "/^tr[0-9]\\./")]);

        Assert.Equal(MatchOutcome.NotListed, set.Decide("ad1.example", out _, out _));
        Assert.Equal(MatchOutcome.Blocked, set.Decide("tr1.example", out _, out _));
        Assert.Equal(1, set.Lists[0].Summary.Cancelled);
    }

    [Fact]
    public void Build_AllowListBadfilter_CancelsTheAllowListsRule()
    {
        var set = BlocklistSetBuilder.Build(
        [
            Inline("block", "||ads.example^"),
            Inline("allow", "ok.ads.example") with { IsAllowList = true },
            Inline("allow2", "ok.ads.example$badfilter") with { IsAllowList = true },
        ]);

        Assert.Equal(MatchOutcome.Blocked, set.Decide("ok.ads.example", out _, out _));
    }

    /// <summary>The case: the AdGuard DNS filter lists ||linksprf.com^ and, later on, ||linksprf.com^$badfilter.</summary>
    [RealListsFact]
    public void Build_RealAdGuardList_LinksprfIsNotBlocked()
    {
        string path = SharedBlocklists.PathOf("adguard-dns-filter-without-privacy.txt");

        var set = BlocklistSetBuilder.Build([new BlocklistInput("adguard", path, path, null, Subdomains: false, IsAllowList: false)]);

        Assert.Equal(MatchOutcome.NotListed, set.Decide("linksprf.com", out _, out _));
        Assert.Equal(MatchOutcome.Blocked, set.Decide("free-4paid.com", out _, out _));
        Assert.Equal((1, 5), (set.Lists[0].Summary.Cancelled, set.Lists[0].Summary.Badfilters));
        var cancelled = Assert.Single(set.Cancelled);
        Assert.Equal(("||linksprf.com^$badfilter", 7430, 28813), (cancelled.By, cancelled.ByLine, cancelled.Rule!.Value.Line));
    }

    private static BlocklistInput Inline(string name, params string[] lines) =>
        new(name, "inline", null, lines, Subdomains: false, IsAllowList: false);
}
