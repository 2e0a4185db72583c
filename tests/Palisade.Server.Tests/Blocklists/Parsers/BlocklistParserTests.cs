using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Tests.Blocklists.Parsers;

/// <summary>Whole-list behaviour: counting, line endings, options, bounds, format detection, the summary line.</summary>
public sealed class BlocklistParserTests
{
    [Fact]
    public void Parse_CommentsAndBlankLines_CountedNotRules()
    {
        var (rules, _, summary) = ParserHarness.Parse("[Adblock Plus]\n! Title: x\n# comment\n\n   \t\n#\n");

        Assert.Empty(rules);
        Assert.Equal(6, summary.Lines);
        Assert.Equal(4, summary.Comments);
        Assert.Equal(2, summary.Blank);
        Assert.Equal(BlocklistFormat.Empty, summary.Format);
    }

    [Fact]
    public void Parse_CompressedHostsLine_EveryNameIsARule()
    {
        var (rules, _, summary) = ParserHarness.Parse(
            "0.0.0.0 0.0-02.net 2.004k.com www.00fun.com www.010081.com a.example b.example c.example d.example e.example\n");

        Assert.Equal(
            ["0.0-02.net", "2.004k.com", "www.00fun.com", "www.010081.com", "a.example", "b.example", "c.example", "d.example", "e.example"],
            rules.Select(r => r.Domain));
        Assert.All(rules, r => Assert.Equal((RuleMatch.Exact, RuleAction.Block, 1), (r.Match, r.Action, r.Line)));
        Assert.Equal(9, summary.Rules);
        Assert.Equal(BlocklistFormat.Hosts, summary.Format);
    }

    [Fact]
    public void Parse_HostsLineWithLocalAndInvalidNames_KeepsTheRestAndCountsEach()
    {
        var (rules, _, summary) = ParserHarness.Parse("127.0.0.1 localhost ads.example bad!name tracker.example ip6-allnodes\n");

        Assert.Equal(["ads.example", "tracker.example"], rules.Select(r => r.Domain));
        Assert.Equal(2, summary.Skipped[SkipReasons.LocalEntry]);
        Assert.Equal(1, summary.Skipped[SkipReasons.InvalidName]);
    }

    [Fact]
    public void Parse_SubdomainsOption_AppliesToPlainAndHostsEntriesOnly()
    {
        var options = new BlocklistParseOptions { PlainEntriesIncludeSubdomains = true };

        var (rules, _, _) = ParserHarness.Parse("a.example\n0.0.0.0 b.example\n|c.example^\n*.d.example\n||e.example^\n", options);

        Assert.Equal(
            [RuleMatch.WithSubdomains, RuleMatch.WithSubdomains, RuleMatch.Exact, RuleMatch.WithSubdomains, RuleMatch.WithSubdomains],
            rules.Select(r => r.Match));
    }

    [Fact]
    public void Parse_Stream_DropsBomAndHandlesCrLf()
    {
        var (rules, summary) = ParserHarness.ParseBytes(ParserHarness.Utf8("a.example\r\n# c\r\n\r\nb.example\r\n", bom: true));

        Assert.Equal(["a.example", "b.example"], rules.Select(r => r.Domain));
        Assert.Equal([1, 4], rules.Select(r => r.Line));
        Assert.Equal((4, 1, 1), (summary.Lines, summary.Comments, summary.Blank));
    }

    [Fact]
    public void Parse_TextReaderWithBomCharacter_DropsIt()
    {
        var (rules, _, summary) = ParserHarness.Parse("\uFEFF||a.example^\n");

        Assert.Equal("a.example", Assert.Single(rules).Domain);
        Assert.Empty(summary.Skipped);
    }

    [Fact]
    public void Parse_StreamWithInvalidUtf8_SkipsThatNameOnly()
    {
        var bytes = ParserHarness.Utf8("a.example\nbad").Concat(new byte[] { 0xFF, 0xFE }).Concat(ParserHarness.Utf8(".example\nb.example")).ToArray();

        var (rules, summary) = ParserHarness.ParseBytes(bytes);

        Assert.Equal(["a.example", "b.example"], rules.Select(r => r.Domain));
        Assert.Equal(1, summary.Skipped[SkipReasons.InvalidName]);
    }

    [Fact]
    public void Parse_LastLineWithTrailingSpaceAndNoNewline_IsParsed()
    {
        var (rules, _, summary) = ParserHarness.Parse("# h\n0.0.0.0 a.example b.example\n0.0.0.0 upc.zztfly.com zzzperform.com ");

        Assert.Equal(["a.example", "b.example", "upc.zztfly.com", "zzzperform.com"], rules.Select(r => r.Domain));
        Assert.Equal(3, summary.Lines);
        Assert.Equal(3, rules[^1].Line);
    }

    [Theory]
    [InlineData(4097)]
    [InlineData(70_000)]
    [InlineData(300_000)]
    public void Parse_LineOverLimit_SkippedAndNextLineParsed(int length)
    {
        var longLine = "0.0.0.0 " + string.Join(' ', Enumerable.Repeat("abc.example", length / 12 + 1));
        longLine = longLine[..length];

        var (rules, _, summary) = ParserHarness.Parse($"a.example\n{longLine}\r\nb.example\n{longLine}");

        Assert.Equal(["a.example", "b.example"], rules.Select(r => r.Domain));
        Assert.Equal([1, 3], rules.Select(r => r.Line));
        Assert.Equal(4, summary.Lines);
        Assert.Equal(2, summary.Skipped[SkipReasons.LineTooLong]);
    }

    [Fact]
    public void Parse_LineAtLimit_Parsed()
    {
        var line = "0.0.0.0 " + string.Join(' ', Enumerable.Repeat("abc.example", 340));
        line += new string(' ', 4096 - line.Length);

        var (rules, _, summary) = ParserHarness.Parse(line + "\r\n");

        Assert.Equal(340, rules.Count);
        Assert.Empty(summary.Skipped);
    }

    [Theory]
    [InlineData("0.0.0.0 a.example\n127.0.0.1 b.example\n", BlocklistFormat.Hosts)]
    [InlineData("a.example\nb.example\n", BlocklistFormat.Domains)]
    [InlineData("*.a.example\n*.b.example\n", BlocklistFormat.Wildcard)]
    [InlineData("||a.example^\n@@||b.example^|\n/^ad/\n-ad123-\n", BlocklistFormat.Adblock)]
    [InlineData("a.example\n||b.example^\n", BlocklistFormat.Mixed)]
    [InlineData("# only\n! comments\n", BlocklistFormat.Empty)]
    [InlineData("", BlocklistFormat.Empty)]
    public void Parse_Lines_FormatDetected(string text, BlocklistFormat format)
    {
        var (_, _, summary) = ParserHarness.Parse(text);

        Assert.Equal(format, summary.Format);
    }

    [Fact]
    public void Parse_WithoutRegexCallback_CountsRegexes()
    {
        var rules = new List<BlocklistRule>();
        using var reader = new StringReader("/^ad[0-9]+\\./\n||a.example^\n");

        var summary = BlocklistParser.Parse(reader, BlocklistParseOptions.Default, rules.Add);

        Assert.Single(rules);
        Assert.Equal(1, summary.RegexRules);
    }

    [Fact]
    public void Parse_NullArguments_Throw()
    {
        using var reader = new StringReader("");

        Assert.Throws<ArgumentNullException>(() => BlocklistParser.Parse((TextReader)null!, BlocklistParseOptions.Default, _ => { }));
        Assert.Throws<ArgumentNullException>(() => BlocklistParser.Parse(reader, null!, _ => { }));
        Assert.Throws<ArgumentNullException>(() => BlocklistParser.Parse(reader, BlocklistParseOptions.Default, null!));
    }

    [Fact]
    public void ToString_WithSkips_OneLineSummary()
    {
        var (_, _, summary) = ParserHarness.Parse("# h\na.example\nb!.example\n||c.example^$badfilter\nc!.example\n/^ad/\n||d.example^\n");

        Assert.Equal(
            "2 rules and 1 regex rule from 7 lines (mixed); 1 $badfilter rule; skipped 2: 2 invalid name",
            summary.ToString());
    }

    [Fact]
    public void ToString_LargeCounts_GroupedDigits()
    {
        var text = string.Concat(Enumerable.Range(0, 1234).Select(i => $"0.0.0.0 host{i}.example\n"));

        var (_, _, summary) = ParserHarness.Parse(text);

        Assert.Equal("1,234 rules from 1,234 lines (hosts)", summary.ToString());
    }

    [Fact]
    public void Parse_RandomLines_NeverThrowsAndEveryRuleKeepsTheContract()
    {
        const string alphabet = "aZ09-_.*|^$@#!/: \t\r[]éü例\uFEFF";
        var random = new Random(20260821);
        var text = string.Join('\n', Enumerable.Range(0, 20_000).Select(_ =>
            new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)])])));

        var (rules, _, summary) = ParserHarness.Parse(text);

        Assert.Equal(20_000, summary.Lines);
        Assert.NotEmpty(rules);
        Assert.All(rules, r =>
        {
            Assert.InRange(r.Domain.Length, 1, 253);
            Assert.All(r.Domain.Split('.'), label =>
            {
                Assert.InRange(label.Length, 1, 63);
                Assert.True(label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'), r.Domain);
            });
        });
    }

    [Theory]
    [InlineData(253, true)]
    [InlineData(254, false)]
    public void Parse_NameLength_LimitIs253(int length, bool valid)
    {
        // Labels of 9 characters and dots, ending in "com".
        var name = string.Concat(Enumerable.Repeat("abcdefghi.", 30))[..(length - 3)] + "com";
        Assert.Equal(length, name.Length);

        var (rules, _, summary) = ParserHarness.Parse(name);

        Assert.Equal(valid ? 1 : 0, rules.Count);
        Assert.Equal(valid ? 0 : 1, summary.SkippedTotal);
    }
}
