using Palisade.Server.Blocklists.Parsers;
using Palisade.TestSupport;

namespace Palisade.Server.Tests.Blocklists.Parsers;

/// <summary>
/// The real lists (found by <see cref="SharedBlocklists"/>; SOURCES.md in ../shared/data/blocklists has every figure
/// asserted here): rule counts equal an independent count made with simple string checks, and sampled entries come out
/// as the expected rules.
/// </summary>
public sealed class RealBlocklistTests
{
    private const string DomainsLight = "hagezi-domains-light.txt";

    [RealListsFact]
    public void Parse_HageziDomainsLight_EveryLineAnExactRule()
    {
        var entries = RealListParse.Entries(DomainsLight);
        var parse = RealListParse.Of(DomainsLight);

        Assert.Equal(89_931, entries.Count);
        AssertCounts(parse, lines: 89_942, comments: 11, blank: 0, rules: entries.Count, BlocklistFormat.Domains);
        Assert.Equal(entries.Select(e => e.Text), parse.Rules.Select(r => r.Domain));
        Assert.Equal(entries.Select(e => e.Line), parse.Rules.Select(r => r.Line));
        Assert.All(parse.Rules, r => Assert.Equal((RuleMatch.Exact, RuleAction.Block, false), (r.Match, r.Action, r.Important)));
        AssertSamples(parse, ("0-0-0checkmate.com", 12), ("elqact.gartner.com", 44_977), ("zzzperform.com", 89_942));
    }

    [RealListsFact]
    public void Parse_HageziHostsLight_SameDomainsAsTheDomainsList()
    {
        var entries = RealListParse.Entries("hagezi-hosts-light.txt");
        var parse = RealListParse.Of("hagezi-hosts-light.txt");

        Assert.All(entries, e => Assert.StartsWith("0.0.0.0 ", e.Text, StringComparison.Ordinal));
        AssertCounts(parse, lines: 89_942, comments: 11, blank: 0, rules: entries.Count, BlocklistFormat.Hosts);
        Assert.Equal(RealListParse.Entries(DomainsLight).Select(e => e.Text), parse.Rules.Select(r => r.Domain));
        Assert.All(parse.Rules, r => Assert.Equal(RuleMatch.Exact, r.Match));
        AssertSamples(parse, ("0-0-0checkmate.com", 12), ("elqact.gartner.com", 44_977), ("zzzperform.com", 89_942));
    }

    [RealListsFact]
    public void Parse_HageziHostsCompressed_NineNamesALine()
    {
        const string file = "hagezi-hosts-light-compressed.txt";
        var entries = RealListParse.Entries(file);
        var names = entries.Sum(e => e.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length - 1);
        var parse = RealListParse.Of(file);

        Assert.Equal(89_931, names);
        Assert.EndsWith("zzzperform.com ", entries[^1].Text, StringComparison.Ordinal);
        AssertCounts(parse, lines: 10_004, comments: 11, blank: 0, rules: names, BlocklistFormat.Hosts);
        Assert.Equal(
            RealListParse.Entries(DomainsLight).Select(e => e.Text).Order(StringComparer.Ordinal),
            parse.Rules.Select(r => r.Domain).Order(StringComparer.Ordinal));
        Assert.Equal(9, parse.Rules.Count(r => r.Line == 12));
        Assert.Equal(3, parse.Rules.Count(r => r.Line == 10_004));
        AssertSamples(parse, ("0.0-02.net", 12), ("zzzperform.com", 10_004));
    }

    [RealListsFact]
    public void Parse_HageziWildcardMulti_SameDomainsAsTheAdblockList()
    {
        var entries = RealListParse.Entries("hagezi-wildcard-multi.txt");
        var wildcard = RealListParse.Of("hagezi-wildcard-multi.txt");
        var adblock = RealListParse.Of("hagezi-adblock-multi.txt");

        Assert.All(entries, e => Assert.StartsWith("*.", e.Text, StringComparison.Ordinal));
        AssertCounts(wildcard, lines: 180_239, comments: 12, blank: 0, rules: 180_227, BlocklistFormat.Wildcard);
        Assert.Equal(entries.Count, wildcard.Summary.Rules);
        Assert.Equal(entries.Select(e => e.Text[2..]), wildcard.Rules.Select(r => r.Domain));
        Assert.All(wildcard.Rules, r => Assert.Equal((RuleMatch.WithSubdomains, RuleAction.Block), (r.Match, r.Action)));
        Assert.Equal(adblock.Rules.Select(r => r.Domain), wildcard.Rules.Select(r => r.Domain));
        AssertSamples(wildcard, (entries[0].Text[2..], entries[0].Line), (entries[^1].Text[2..], entries[^1].Line));
    }

    [RealListsTheory]
    [InlineData(false, RuleMatch.Exact)]
    [InlineData(true, RuleMatch.WithSubdomains)]
    public void Parse_HageziWildcardOnlyDomains_MatchFollowsTheOption(bool subdomains, RuleMatch match)
    {
        const string file = "hagezi-wildcard-pro-onlydomains.txt";
        var entries = RealListParse.Entries(file);
        var parse = RealListParse.Of(file, new BlocklistParseOptions { PlainEntriesIncludeSubdomains = subdomains });

        Assert.Equal(213_907, entries.Count);
        AssertCounts(parse, lines: 213_919, comments: 12, blank: 0, rules: entries.Count, BlocklistFormat.Domains);
        Assert.All(parse.Rules, r => Assert.Equal(match, r.Match));
        var middle = entries[entries.Count / 2];
        AssertSamples(parse, (entries[0].Text, entries[0].Line), (middle.Text, middle.Line), (entries[^1].Text, entries[^1].Line));
    }

    [RealListsTheory]
    [InlineData("hagezi-adblock-light.txt", 40_668, 40_655)]
    [InlineData("hagezi-adblock-multi.txt", 180_240, 180_227)]
    [InlineData("hagezi-adblock-pro.mini.txt", 53_886, 53_873)]
    public void Parse_HageziAdblock_EveryRuleADomainWithSubdomains(string file, int lines, int domains)
    {
        var entries = RealListParse.Entries(file);
        var plain = entries.Count(e => e.Text.StartsWith("||", StringComparison.Ordinal) && e.Text.EndsWith('^'));
        var parse = RealListParse.Of(file);

        Assert.Equal(domains, plain);
        AssertCounts(parse, lines, comments: 13, blank: 0, rules: plain, BlocklistFormat.Adblock);
        Assert.Equal(entries.Select(e => e.Text[2..^1]), parse.Rules.Select(r => r.Domain));
        Assert.All(parse.Rules, r => Assert.Equal((RuleMatch.WithSubdomains, RuleAction.Block, false), (r.Match, r.Action, r.Important)));
        var middle = entries[entries.Count / 2];
        AssertSamples(parse, (entries[0].Text[2..^1], entries[0].Line), (middle.Text[2..^1], middle.Line), (entries[^1].Text[2..^1], entries[^1].Line));
    }

    [RealListsFact]
    public void Parse_StevenBlackTrimmed_CommentsBlanksAndTrailingSpaces()
    {
        const string file = "stevenblack-unified-trimmed-domains.txt";
        var entries = RealListParse.Entries(file);
        var parse = RealListParse.Of(file);

        Assert.Equal(83_808, entries.Count);
        AssertCounts(parse, lines: 90_927, comments: 4_603, blank: 2_516, rules: entries.Count, BlocklistFormat.Domains);
        Assert.Equal(entries.Select(e => e.Text.TrimEnd()), parse.Rules.Select(r => r.Domain));
        Assert.Contains(parse.Rules, r => r.Domain == "philadelphia_cbslocal.us.intellitxt.com");
        var middle = entries[entries.Count / 2];
        AssertSamples(parse, (entries[0].Text.TrimEnd(), entries[0].Line), (middle.Text.TrimEnd(), middle.Line), (entries[^1].Text.TrimEnd(), entries[^1].Line));
    }

    private static void AssertCounts(RealListParse parse, int lines, int comments, int blank, int rules, BlocklistFormat format)
    {
        var summary = parse.Summary;
        Assert.Equal(
            (lines, comments, blank, rules, 0, 0, format),
            (summary.Lines, summary.Comments, summary.Blank, summary.Rules, summary.RegexRules, summary.SkippedTotal, summary.Format));
        Assert.Equal(rules, parse.Rules.Count);
    }

    private static void AssertSamples(RealListParse parse, params (string Domain, int Line)[] samples)
    {
        foreach (var (domain, line) in samples)
        {
            Assert.Contains(parse.Rules, r => r.Domain == domain && r.Line == line);
        }
    }
}
