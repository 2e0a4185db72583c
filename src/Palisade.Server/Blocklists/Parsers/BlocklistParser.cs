using System.Text;

namespace Palisade.Server.Blocklists.Parsers;

/// <summary>
/// Parses community blocklists: hosts files (one or many names a line, any address), plain domains,
/// <c>*.domain</c> wildcards and adblock / AdGuard DNS syntax, detected line by line so a list may mix them.
/// Rules are streamed to a callback, never collected, so a list of a million entries costs no list of a million
/// entries. Lines are bounded (4,096 characters); what cannot be applied exactly is skipped whole and counted.
/// </summary>
public static class BlocklistParser
{
    private const int StreamBufferSize = 64 * 1024;

    /// <summary>Parses a list, delivering each domain rule to <paramref name="onRule"/> (regex rules are counted, not delivered).</summary>
    public static ParseSummary Parse(TextReader reader, BlocklistParseOptions options, Action<BlocklistRule> onRule) =>
        Parse(reader, options, onRule, onRegex: null);

    /// <summary>Parses a list, delivering domain rules to <paramref name="onRule"/> and regex rules to <paramref name="onRegex"/>.</summary>
    public static ParseSummary Parse(
        TextReader reader,
        BlocklistParseOptions options,
        Action<BlocklistRule> onRule,
        Action<RegexRule>? onRegex) =>
        Parse(reader, options, onRule, onRegex, onBadfilter: null);

    /// <summary>
    /// Parses a list, delivering domain rules to <paramref name="onRule"/>, regex rules to <paramref name="onRegex"/>
    /// and <c>$badfilter</c> rules (with the rule each cancels) to <paramref name="onBadfilter"/>.
    /// </summary>
    public static ParseSummary Parse(
        TextReader reader,
        BlocklistParseOptions options,
        Action<BlocklistRule> onRule,
        Action<RegexRule>? onRegex,
        Action<BadfilterRule>? onBadfilter)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onRule);
        var lines = new LineReader(reader);
        var parser = new RuleLineParser(options, onRule, onRegex, onBadfilter);
        while (lines.TryReadLine(out var line, out var tooLong))
        {
            if (tooLong)
            {
                parser.Summary.Lines++;
                parser.Summary.Skip(SkipReasons.LineTooLong);
            }
            else
            {
                parser.ParseLine(line);
            }
        }

        return parser.Summary;
    }

    /// <summary>Parses a UTF-8 list (a byte-order mark is dropped); the stream is left open.</summary>
    public static ParseSummary Parse(Stream utf8, BlocklistParseOptions options, Action<BlocklistRule> onRule) =>
        Parse(utf8, options, onRule, onRegex: null);

    /// <summary>Parses a UTF-8 list (a byte-order mark is dropped), with a regex callback; the stream is left open.</summary>
    public static ParseSummary Parse(
        Stream utf8,
        BlocklistParseOptions options,
        Action<BlocklistRule> onRule,
        Action<RegexRule>? onRegex)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        using var reader = Utf8Reader(utf8);
        return Parse(reader, options, onRule, onRegex);
    }

    /// <summary>
    /// Delivers only the list's <c>$badfilter</c> rules, with their line numbers, reading nothing else closely: a
    /// first pass over every list, so that a rule can be cancelled by a list read after its own.
    /// </summary>
    public static void ScanBadfilters(TextReader reader, BlocklistParseOptions options, Action<BadfilterRule> onBadfilter)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onBadfilter);
        var lines = new LineReader(reader);
        var parser = new RuleLineParser(options, static _ => { }, onRegex: null, onBadfilter);
        int number = 0;
        while (lines.TryReadLine(out var line, out var tooLong))
        {
            number++;
            if (!tooLong && line.Contains("badfilter", StringComparison.OrdinalIgnoreCase))
            {
                parser.Summary.Lines = number - 1;
                parser.ParseLine(line);
            }
        }
    }

    /// <summary>A reader of UTF-8 text (a byte-order mark is dropped; invalid bytes are replaced) that leaves the stream open.</summary>
    public static StreamReader Utf8Reader(Stream utf8) => new(
        utf8,
        new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false),
        detectEncodingFromByteOrderMarks: true,
        StreamBufferSize,
        leaveOpen: true);
}
