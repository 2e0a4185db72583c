using System.Diagnostics;
using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Tests.Blocklists.Parsers;

/// <summary>A real list parsed through the stream overload, with what it delivered and how long it took.</summary>
internal sealed record RealListParse(List<BlocklistRule> Rules, List<RegexRule> Regexes, ParseSummary Summary, TimeSpan Elapsed)
{
    public static RealListParse Of(string fileName, BlocklistParseOptions? options = null)
    {
        var rules = new List<BlocklistRule>();
        var regexes = new List<RegexRule>();
        using var stream = File.OpenRead(SharedBlocklists.PathOf(fileName));
        var stopwatch = Stopwatch.StartNew();
        var summary = BlocklistParser.Parse(stream, options ?? BlocklistParseOptions.Default, rules.Add, regexes.Add);
        stopwatch.Stop();
        return new RealListParse(rules, regexes, summary, stopwatch.Elapsed);
    }

    /// <summary>The lines SOURCES.md calls entries: neither blank nor comments (<c>#</c>, <c>!</c>, <c>[Adblock Plus]</c>).</summary>
    public static List<(string Text, int Line)> Entries(string fileName) =>
        [.. SharedBlocklists.ReadLines(fileName)
            .Select((text, index) => (Text: text, Line: index + 1))
            .Where(e => e.Text.Trim().Length > 0 && e.Text[0] is not ('#' or '!') && e.Text != "[Adblock Plus]")];
}
