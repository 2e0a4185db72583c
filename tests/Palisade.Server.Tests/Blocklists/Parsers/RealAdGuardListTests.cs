using Palisade.Server.Blocklists.Parsers;
using Palisade.TestSupport;

namespace Palisade.Server.Tests.Blocklists.Parsers;

/// <summary>
/// The AdGuard DNS filter (full AdGuard DNS syntax). Each expected figure is counted here with plain string checks,
/// independently of the parser, and checked against SOURCES.md's breakdown where it gives one.
/// </summary>
public sealed class RealAdGuardListTests
{
    private const string File = "adguard-dns-filter-without-privacy.txt";

    private static readonly Lazy<(List<(string Text, int Line)> Entries, RealListParse Parse)> Data =
        new(() => (RealListParse.Entries(File), RealListParse.Of(File)));

    private static List<(string Text, int Line)> Entries => Data.Value.Entries;

    private static RealListParse Parsed => Data.Value.Parse;

    [RealListsFact]
    public void Parse_AdGuard_LineCountsMatchSources()
    {
        var summary = Parsed.Summary;

        Assert.Equal(71_101, Entries.Count);
        Assert.Equal((72_202, 1_101, 0, BlocklistFormat.Adblock), (summary.Lines, summary.Comments, summary.Blank, summary.Format));
        // Every rule line gives exactly one rule, regex, $badfilter rule or skip.
        Assert.Equal(Entries.Count, summary.Rules + summary.RegexRules + summary.Badfilters + summary.SkippedTotal);
        Assert.Equal(summary.Rules, Parsed.Rules.Count);
    }

    [RealListsFact]
    public void Parse_AdGuard_PlainBlocksAreRulesExceptIpAddresses()
    {
        var plain = Entries.Where(e => IsPlain(e.Text)).ToList();
        var ip = plain.Where(e => e.Text[2..^1].All(c => char.IsAsciiDigit(c) || c == '.')).ToList();
        var byLine = Parsed.Rules.ToDictionary(r => r.Line);

        Assert.Equal(70_569, plain.Count);
        Assert.Equal(4, plain.Count(e => e.Text.Any(char.IsAsciiLetterUpper)));
        Assert.Equal(18, plain.Count(e => e.Text.Contains("xn--", StringComparison.Ordinal)));
        foreach (var (text, line) in plain.Except(ip))
        {
            Assert.Equal(new BlocklistRule(text[2..^1].ToLowerInvariant(), RuleMatch.WithSubdomains, RuleAction.Block, false, line), byLine[line]);
        }

        Assert.All(ip, e => Assert.False(byLine.ContainsKey(e.Line)));
        Assert.Contains(Parsed.Rules, r => r.Domain == "free-4paid.com");
    }

    [RealListsFact]
    public void Parse_AdGuard_ExceptionsWithoutWildcardsAreAllowRules()
    {
        var exceptions = Entries.Where(e => e.Text.StartsWith("@@", StringComparison.Ordinal)).ToList();
        var parsable = exceptions.Where(e => e.Text.StartsWith("@@|", StringComparison.Ordinal) && !e.Text.Contains('*')).ToList();
        var allows = Parsed.Rules.Where(r => r.Action == RuleAction.Allow).ToList();

        Assert.Equal(206, exceptions.Count);
        Assert.Equal(parsable.Select(e => e.Line), allows.Select(r => r.Line));
        Assert.Equal(parsable.Count(e => e.Text.StartsWith("@@||", StringComparison.Ordinal)), allows.Count(r => r.Match == RuleMatch.WithSubdomains));
        Assert.Contains(new BlocklistRule("cdn.taboola.com", RuleMatch.Exact, RuleAction.Allow, false, LineOf("@@|cdn.taboola.com^|")), allows);
        Assert.Contains(new BlocklistRule("omniture.walmart.com", RuleMatch.WithSubdomains, RuleAction.Allow, false, LineOf("@@||omniture.walmart.com^|")), allows);
    }

    [RealListsFact]
    public void Parse_AdGuard_ImportantRulesKeptBadfiltersRead()
    {
        var modifiers = Entries.Where(e => e.Text.Contains('$') && e.Text[0] != '/').ToList();
        var important = modifiers.Where(e => e.Text.EndsWith("$important", StringComparison.Ordinal)).ToList();

        Assert.Equal(9, modifiers.Count);
        Assert.Equal(important.Select(e => e.Line), Parsed.Rules.Where(r => r.Important).Select(r => r.Line));
        // The other modifiers are all $badfilter (5 of them, e.g. ||linksprf.com^$badfilter): none is skipped.
        Assert.Equal(modifiers.Count - important.Count, Parsed.Summary.Badfilters);
        Assert.All(modifiers.Except(important), e => Assert.EndsWith("$badfilter", e.Text, StringComparison.Ordinal));
        Assert.False(Parsed.Summary.Skipped.ContainsKey(SkipReasons.UnsupportedModifier));
        Assert.Contains(new BlocklistRule("deloton.com", RuleMatch.WithSubdomains, RuleAction.Block, true, LineOf("||deloton.com$important")), Parsed.Rules);
    }

    [RealListsFact]
    public void Parse_AdGuard_RegexesDeliveredWithTheirLines()
    {
        var regexes = Entries.Where(e => e.Text.StartsWith('/') || e.Text.StartsWith("@@/", StringComparison.Ordinal)).ToList();

        Assert.Equal(19, regexes.Count(e => e.Text[0] == '/'));
        Assert.Equal(regexes.Select(e => e.Line), Parsed.Regexes.Select(r => r.Line));
        Assert.Equal(regexes.Select(e => e.Text.TrimStart('@')[1..^1]), Parsed.Regexes.Select(r => r.Pattern));
        Assert.Equal(RuleAction.Allow, Parsed.Regexes.Single(r => r.Pattern.Contains("gif", StringComparison.Ordinal)).Action);
    }

    [RealListsFact]
    public void Parse_AdGuard_SkipReasonsMatchAnIndependentCount()
    {
        var rest = Entries.Select(e => e.Text)
            .Where(t => t[0] != '/' && !t.StartsWith("@@/", StringComparison.Ordinal) && !t.Contains('$'))
            .ToList();
        // In the parser's order: a URL first ("://*.a-akamaihd.com^" is a path rule), then wildcards, then prefixes.
        var path = rest.Count(t => t.Contains("://", StringComparison.Ordinal));
        rest = [.. rest.Where(t => !t.Contains("://", StringComparison.Ordinal))];
        var wildcard = rest.Count(t => t.Contains('*'));
        rest = [.. rest.Where(t => !t.Contains('*'))];
        static bool IsPrefix(string t) => t.StartsWith("||", StringComparison.Ordinal) && !t.Contains('^') && t.EndsWith('.');
        var partial = rest.Count(IsPrefix);
        rest = [.. rest.Where(t => !IsPrefix(t))];
        var ip = rest.Count(t => t.Trim('|', '^').All(c => char.IsAsciiDigit(c) || c == '.') && t.Count(c => c == '.') == 3);
        var unanchored = rest.Count(t => t.TrimStart('@')[0] is '-' or '.');

        Assert.Equal(162 + 10, wildcard + 4); // 162 blocks and 10 exceptions with '*', 4 of them URLs
        Assert.Equal(61 + 6, ip); // 61 plain "||a.b.c.d^" and 6 others
        Assert.Equal(
            new Dictionary<string, int>
            {
                [SkipReasons.WildcardPattern] = wildcard,
                [SkipReasons.PathRule] = path,
                [SkipReasons.PartialDomain] = partial,
                [SkipReasons.IpRule] = ip,
                [SkipReasons.UnanchoredPattern] = unanchored,
            },
            Parsed.Summary.Skipped);
    }

    private static bool IsPlain(string text) =>
        text.StartsWith("||", StringComparison.Ordinal) && text.EndsWith('^') && text.Length > 3
        && text[2..^1].IndexOfAny(['*', '^', '/', '$', '|', '@']) < 0;

    private static int LineOf(string text) => Entries.Single(e => e.Text == text).Line;
}
