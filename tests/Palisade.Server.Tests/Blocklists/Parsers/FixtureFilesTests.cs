using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Tests.Blocklists.Parsers;

/// <summary>The excerpt fixtures in ../Fixtures parse to the figures their README states.</summary>
public sealed class FixtureFilesTests
{
    [Fact]
    public void Parse_HostsExcerpt_TwentyExactRules()
    {
        var parse = ParseFixture("hagezi-hosts-light.excerpt.txt");

        Assert.Equal((20, 0, 0, BlocklistFormat.Hosts), (parse.Summary.Rules, parse.Summary.RegexRules, parse.Summary.SkippedTotal, parse.Summary.Format));
        Assert.All(parse.Rules, r => Assert.Equal((RuleMatch.Exact, RuleAction.Block), (r.Match, r.Action)));
        Assert.Equal(("0-0-0checkmate.com", "zzzperform.com"), (parse.Rules[0].Domain, parse.Rules[^1].Domain));
    }

    [Fact]
    public void Parse_AdblockExcerpt_TwentyRulesWithSubdomains()
    {
        var parse = ParseFixture("hagezi-adblock-light.excerpt.txt");

        Assert.Equal((20, 0, 0, BlocklistFormat.Adblock), (parse.Summary.Rules, parse.Summary.RegexRules, parse.Summary.SkippedTotal, parse.Summary.Format));
        Assert.All(parse.Rules, r => Assert.Equal((RuleMatch.WithSubdomains, RuleAction.Block), (r.Match, r.Action)));
        Assert.Equal(("0.0-02.net", "zzzperform.com"), (parse.Rules[0].Domain, parse.Rules[^1].Domain));
    }

    [Fact]
    public void Parse_AdGuardExcerpt_EveryShape()
    {
        var parse = ParseFixture("adguard-dns-filter.excerpt.txt");

        Assert.Equal(
            ["upbeatbut.com", "free-4paid.com", "mgbkt9eckr.xn--mgbkt9eckr.net", "clickvip.ru", "adsrvmedia.adk2.co", "deloton.com"],
            parse.Rules.Where(r => r.Action == RuleAction.Block).Select(r => r.Domain));
        Assert.Equal(2, parse.Rules.Count(r => r.Important));
        Assert.Equal(
            [("ad.abchina.com", RuleMatch.WithSubdomains), ("omniture.walmart.com", RuleMatch.WithSubdomains), ("cdn.taboola.com", RuleMatch.Exact)],
            parse.Rules.Where(r => r.Action == RuleAction.Allow).Select(r => (r.Domain, r.Match)));
        Assert.Equal(@"^(a|c)\.[0-9a-f]{56}\.com$", Assert.Single(parse.Regexes).Pattern);
        Assert.Equal(
            new Dictionary<string, int>
            {
                [SkipReasons.IpRule] = 3,
                [SkipReasons.WildcardPattern] = 2,
                [SkipReasons.UnanchoredPattern] = 2,
                [SkipReasons.PartialDomain] = 1,
                [SkipReasons.PathRule] = 1,
            },
            parse.Summary.Skipped);
        Assert.Equal(2, parse.Summary.Badfilters);
        Assert.Equal(parse.Summary.Lines, parse.Summary.Comments + parse.Summary.Rules + parse.Summary.RegexRules + parse.Summary.Badfilters + parse.Summary.SkippedTotal);
    }

    private static (List<BlocklistRule> Rules, List<RegexRule> Regexes, ParseSummary Summary) ParseFixture(string name)
    {
        var path = Path.Combine(SharedBlocklists.RepositoryRoot, "tests", "Palisade.Server.Tests", "Blocklists", "Fixtures", name);
        Assert.True(File.Exists(path), $"The fixture {path} is missing.");
        return ParserHarness.Parse(File.ReadAllText(path));
    }
}
