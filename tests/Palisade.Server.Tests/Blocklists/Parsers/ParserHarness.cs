using System.Text;
using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Tests.Blocklists.Parsers;

/// <summary>Runs the parser over inline text and collects what it delivers.</summary>
internal static class ParserHarness
{
    public static (List<BlocklistRule> Rules, List<RegexRule> Regexes, ParseSummary Summary) Parse(
        string text,
        BlocklistParseOptions? options = null)
    {
        var rules = new List<BlocklistRule>();
        var regexes = new List<RegexRule>();
        using var reader = new StringReader(text);
        var summary = BlocklistParser.Parse(reader, options ?? BlocklistParseOptions.Default, rules.Add, regexes.Add);
        return (rules, regexes, summary);
    }

    public static (List<BlocklistRule> Rules, ParseSummary Summary) ParseBytes(byte[] utf8, BlocklistParseOptions? options = null)
    {
        var rules = new List<BlocklistRule>();
        using var stream = new MemoryStream(utf8);
        var summary = BlocklistParser.Parse(stream, options ?? BlocklistParseOptions.Default, rules.Add);
        return (rules, summary);
    }

    public static byte[] Utf8(string text, bool bom = false) =>
        [.. bom ? Encoding.UTF8.Preamble : [], .. Encoding.UTF8.GetBytes(text)];
}
