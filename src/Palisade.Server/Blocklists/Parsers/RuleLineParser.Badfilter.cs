namespace Palisade.Server.Blocklists.Parsers;

/// <summary><c>$badfilter</c> rules: what each cancels, read as the same line without the modifier.</summary>
internal sealed partial class RuleLineParser
{
    /// <summary>
    /// Reads a <c>$badfilter</c> rule: the line without the modifier is parsed as a line of this list on its own, and
    /// the rule it gives is the one cancelled. When that line gives no rule (it is unsupported itself), there is
    /// nothing to cancel and the line is skipped for the same reason.
    /// </summary>
    private void ParseBadfilter(ReadOnlySpan<char> original, string unmodified)
    {
        BlocklistRule? cancels = null;
        RegexRule? cancelsRegex = null;
        var inner = new RuleLineParser(_options, rule => cancels = rule, regex => cancelsRegex = regex);
        inner.ParseLine(unmodified);
        if (cancels is null && cancelsRegex is null)
        {
            Skip(inner.Summary.Skipped.Keys.FirstOrDefault() ?? SkipReasons.UnsupportedModifier);
            return;
        }

        Summary.Badfilters++;
        int line = Summary.Lines;
        _onBadfilter?.Invoke(new BadfilterRule(
            original.ToString(),
            line,
            cancels is { } rule ? rule with { Line = line } : null,
            cancelsRegex is { } regex ? regex with { Line = line } : null));
    }

    /// <summary>The rule a <c>$badfilter</c> line cancels, written out: the same pattern and other modifiers.</summary>
    private static string Unmodified(RuleAction action, ReadOnlySpan<char> pattern, bool important) =>
        $"{(action == RuleAction.Allow ? "@@" : string.Empty)}{pattern}{(important ? "$important" : string.Empty)}";
}
