using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Tests.Blocklists.Parsers;

/// <summary>One line in, one rule (or one skip reason) out, for every shape the lists use.</summary>
public sealed class BlocklistParserLineTests
{
    private const string Label63 = "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc";

    [Theory]
    // plain domains
    [InlineData("example.com", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("Example.COM", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("example.com.", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("  example.com \t", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("example.com # a comment", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("example.com\t#comment", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("philadelphia_cbslocal.us.intellitxt.com", "philadelphia_cbslocal.us.intellitxt.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("0-0-0checkmate.com", "0-0-0checkmate.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("bücher.example", "xn--bcher-kva.example", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("例え.テスト", "xn--r8jz45g.xn--zckzah", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("XN--BCHER-KVA.Example", "xn--bcher-kva.example", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("localhost.example.com", "localhost.example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData(Label63 + ".com", Label63 + ".com", RuleMatch.Exact, RuleAction.Block, false)]
    // wildcards
    [InlineData("*.example.com", "example.com", RuleMatch.WithSubdomains, RuleAction.Block, false)]
    [InlineData("*.Example.com.", "example.com", RuleMatch.WithSubdomains, RuleAction.Block, false)]
    // hosts
    [InlineData("0.0.0.0 example.com", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("127.0.0.1 example.com", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData(":: example.com", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("::1 example.com", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("192.168.1.10 example.com", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("0.0.0.0\texample.com", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("0.0.0.0   Example.com.   # ads", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("0.0.0.0 zzzperform.com ", "zzzperform.com", RuleMatch.Exact, RuleAction.Block, false)]
    // adblock
    [InlineData("||example.com^", "example.com", RuleMatch.WithSubdomains, RuleAction.Block, false)]
    [InlineData("||Free-4paid.com^", "free-4paid.com", RuleMatch.WithSubdomains, RuleAction.Block, false)]
    [InlineData("||xn--80ak6aa92e.com^", "xn--80ak6aa92e.com", RuleMatch.WithSubdomains, RuleAction.Block, false)]
    [InlineData("||bücher.example^", "xn--bcher-kva.example", RuleMatch.WithSubdomains, RuleAction.Block, false)]
    [InlineData("||clickvip.ru", "clickvip.ru", RuleMatch.WithSubdomains, RuleAction.Block, false)]
    [InlineData("||example.com^|", "example.com", RuleMatch.WithSubdomains, RuleAction.Block, false)]
    [InlineData("||example.com.^", "example.com", RuleMatch.WithSubdomains, RuleAction.Block, false)]
    [InlineData("|example.com^", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("|example.com^|", "example.com", RuleMatch.Exact, RuleAction.Block, false)]
    [InlineData("@@||example.com^", "example.com", RuleMatch.WithSubdomains, RuleAction.Allow, false)]
    [InlineData("@@||omniture.walmart.com^|", "omniture.walmart.com", RuleMatch.WithSubdomains, RuleAction.Allow, false)]
    [InlineData("@@|cdn.taboola.com^|", "cdn.taboola.com", RuleMatch.Exact, RuleAction.Allow, false)]
    [InlineData("||adsrvmedia.adk2.co^$important", "adsrvmedia.adk2.co", RuleMatch.WithSubdomains, RuleAction.Block, true)]
    [InlineData("||deloton.com$important", "deloton.com", RuleMatch.WithSubdomains, RuleAction.Block, true)]
    [InlineData("@@||example.com^$important", "example.com", RuleMatch.WithSubdomains, RuleAction.Allow, true)]
    public void ParseLine_SupportedShape_GivesRule(string line, string domain, RuleMatch match, RuleAction action, bool important)
    {
        var (rules, regexes, summary) = ParserHarness.Parse(line);

        var rule = Assert.Single(rules);
        Assert.Equal(new BlocklistRule(domain, match, action, important, 1), rule);
        Assert.Empty(regexes);
        Assert.Empty(summary.Skipped);
    }

    [Theory]
    // local entries: no list may break localhost
    [InlineData("localhost", SkipReasons.LocalEntry)]
    [InlineData("0.0.0.0 localhost", SkipReasons.LocalEntry)]
    [InlineData("127.0.0.1 localhost.localdomain", SkipReasons.LocalEntry)]
    [InlineData("127.0.0.1 local", SkipReasons.LocalEntry)]
    [InlineData("255.255.255.255 broadcasthost", SkipReasons.LocalEntry)]
    [InlineData("::1 ip6-localhost", SkipReasons.LocalEntry)]
    [InlineData("::1 ip6-loopback", SkipReasons.LocalEntry)]
    [InlineData("fe00::0 ip6-localnet", SkipReasons.LocalEntry)]
    [InlineData("ff00::0 ip6-mcastprefix", SkipReasons.LocalEntry)]
    [InlineData("ff02::1 ip6-allnodes", SkipReasons.LocalEntry)]
    [InlineData("ff02::2 ip6-allrouters", SkipReasons.LocalEntry)]
    [InlineData("0.0.0.0 0.0.0.0", SkipReasons.LocalEntry)]
    [InlineData("0.0.0.0 LocalHost.", SkipReasons.LocalEntry)]
    [InlineData("||localhost^", SkipReasons.LocalEntry)]
    // invalid names
    [InlineData("example..com", SkipReasons.InvalidName)]
    [InlineData("example.com..", SkipReasons.InvalidName)]
    [InlineData("ex!ample.com", SkipReasons.InvalidName)]
    [InlineData("exa mple.com", SkipReasons.InvalidName)]
    [InlineData("0.0.0.0 bad!name.com", SkipReasons.InvalidName)]
    [InlineData("0.0.0.0 example.com#comment", SkipReasons.InvalidName)]
    [InlineData("0.0.0.0 ||example.com^", SkipReasons.InvalidName)]
    [InlineData("a" + Label63 + ".com", SkipReasons.InvalidName)]
    [InlineData("||example..com^", SkipReasons.InvalidName)]
    [InlineData("||^", SkipReasons.InvalidName)]
    [InlineData("example.123", SkipReasons.InvalidName)]
    // IP rules
    [InlineData("1.2.3.4", SkipReasons.IpRule)]
    [InlineData("::1", SkipReasons.IpRule)]
    [InlineData("0.0.0.0 1.2.3.4", SkipReasons.IpRule)]
    [InlineData("1.2.3.4 # nothing here", SkipReasons.IpRule)]
    [InlineData("188.72.219.36^", SkipReasons.IpRule)]
    [InlineData("|167.206.10.148^", SkipReasons.IpRule)]
    [InlineData("||103.179.189.35^", SkipReasons.IpRule)]
    // modifiers other than $important and $badfilter; a $badfilter of a rule that is itself skipped
    [InlineData("||example.com^$dnstype=AAAA", SkipReasons.UnsupportedModifier)]
    [InlineData("||example.com^$client=127.0.0.1", SkipReasons.UnsupportedModifier)]
    [InlineData("||example.com^$denyallow=a.com|b.com", SkipReasons.UnsupportedModifier)]
    [InlineData("||example.com^$ctag=device_pc", SkipReasons.UnsupportedModifier)]
    [InlineData("||example.com^$dnsrewrite=1.2.3.4", SkipReasons.UnsupportedModifier)]
    [InlineData("||example.com^$", SkipReasons.UnsupportedModifier)]
    [InlineData("@@||example.com^$client=10.0.0.1", SkipReasons.UnsupportedModifier)]
    [InlineData("||example.com^$dnstype=AAAA,badfilter", SkipReasons.UnsupportedModifier)]
    [InlineData("||ad-*.example.com^$badfilter", SkipReasons.WildcardPattern)]
    // cosmetic rules
    [InlineData("example.com##.banner", SkipReasons.CosmeticRule)]
    [InlineData("example.com#@#.banner", SkipReasons.CosmeticRule)]
    [InlineData("example.com#$#body { padding: 0; }", SkipReasons.CosmeticRule)]
    [InlineData("example.com#?#div:has(> .ad)", SkipReasons.CosmeticRule)]
    // paths and URLs
    [InlineData("||example.com/ads^", SkipReasons.PathRule)]
    [InlineData("||example.com/ads", SkipReasons.PathRule)]
    [InlineData("://say.ac^", SkipReasons.PathRule)]
    [InlineData("|https://example.com^", SkipReasons.PathRule)]
    [InlineData("example.com/ads", SkipReasons.PathRule)]
    [InlineData("/banner.gif", SkipReasons.PathRule)]
    // wildcards inside the domain part
    [InlineData("||ad-host-backup-*.aliyuncs.com^", SkipReasons.WildcardPattern)]
    [InlineData("||*.exaapi.com^", SkipReasons.WildcardPattern)]
    [InlineData("||buzzer.xhamster*", SkipReasons.WildcardPattern)]
    [InlineData("@@||cdn.us*.exponea.com^|", SkipReasons.WildcardPattern)]
    [InlineData("-adx-*.rayjump.com^", SkipReasons.WildcardPattern)]
    [InlineData("ads*.example.com", SkipReasons.WildcardPattern)]
    [InlineData("*.ads*.example.com", SkipReasons.WildcardPattern)]
    // prefixes and unanchored patterns
    [InlineData("||23.109.82.", SkipReasons.PartialDomain)]
    [InlineData("||get-me-wow.", SkipReasons.PartialDomain)]
    [InlineData("-ad123-", SkipReasons.UnanchoredPattern)]
    [InlineData("-728-x-90-", SkipReasons.UnanchoredPattern)]
    [InlineData(".1080.x.90.", SkipReasons.UnanchoredPattern)]
    [InlineData(".bbelements.com^", SkipReasons.UnanchoredPattern)]
    [InlineData("example.com^", SkipReasons.UnanchoredPattern)]
    [InlineData("@@-ds.metric.gstatic.com^|", SkipReasons.UnanchoredPattern)]
    // regexes the non-backtracking engine cannot run, or empty
    [InlineData("/(ad)\\1/", SkipReasons.UnsupportedRegex)]
    [InlineData("/(?<=ad)s\\.example/", SkipReasons.UnsupportedRegex)]
    [InlineData("/[/", SkipReasons.UnsupportedRegex)]
    [InlineData("//", SkipReasons.UnsupportedRegex)]
    public void ParseLine_UnsupportedShape_SkippedWithReason(string line, string reason)
    {
        var (rules, regexes, summary) = ParserHarness.Parse(line);

        Assert.Empty(rules);
        Assert.Empty(regexes);
        Assert.Equal(new Dictionary<string, int> { [reason] = 1 }, summary.Skipped);
        Assert.Equal(1, summary.SkippedTotal);
    }

    [Theory]
    [InlineData("/^(a|c)\\.[0-9a-f]{56}\\.com$/", "^(a|c)\\.[0-9a-f]{56}\\.com$", RuleAction.Block, false)]
    [InlineData("/^88\\.208\\.22\\.[1234]$/", "^88\\.208\\.22\\.[1234]$", RuleAction.Block, false)]
    [InlineData("/(https?:\\/\\/)213\\.32\\.115\\..{100,}/", "(https?:\\/\\/)213\\.32\\.115\\..{100,}", RuleAction.Block, false)]
    [InlineData("@@/\\.(gif|jpe?g|png|webp)#(\\/?.+)?(\\/(ad)s?\\/|\\/ad-)/", "\\.(gif|jpe?g|png|webp)#(\\/?.+)?(\\/(ad)s?\\/|\\/ad-)", RuleAction.Allow, false)]
    [InlineData("/^ads\\./$important", "^ads\\.", RuleAction.Block, true)]
    public void ParseLine_Regex_GivesRegexRule(string line, string pattern, RuleAction action, bool important)
    {
        var (rules, regexes, summary) = ParserHarness.Parse(line);

        Assert.Empty(rules);
        Assert.Equal(new RegexRule(pattern, action, important, 1), Assert.Single(regexes));
        Assert.Equal(1, summary.RegexRules);
        Assert.Empty(summary.Skipped);
    }

    [Fact]
    public void ParseLine_RegexOverLimit_Skipped()
    {
        var (_, regexes, summary) = ParserHarness.Parse("/" + new string('a', RuleLineParser.MaxRegexLength + 1) + "/");

        Assert.Empty(regexes);
        Assert.Equal(1, summary.Skipped[SkipReasons.UnsupportedRegex]);
    }

    [Fact]
    public void ParseLine_RegexAtLimit_Accepted()
    {
        var (_, regexes, _) = ParserHarness.Parse("/" + new string('a', RuleLineParser.MaxRegexLength) + "/");

        Assert.Single(regexes);
    }
}
