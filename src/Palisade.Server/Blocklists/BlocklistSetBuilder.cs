using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Palisade.Server.Blocklists.Matching;
using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Blocklists;

/// <summary>
/// Builds a <see cref="BlocklistSet"/> from lists, off to the side: the caller publishes it with one swap. Only the
/// matcher being built and the one in use are alive at once, so memory during a rebuild stays bounded.
/// </summary>
public static class BlocklistSetBuilder
{
    /// <summary>
    /// Regexes are matched without backtracking, in time linear in the name's length, and each gets at most this long
    /// per name: a safety net only, since a match that times out counts as no match. 5 ms was too little for the first
    /// match of a fresh regex, which builds its automaton then (found by fuzzing: the first query was not blocked).
    /// </summary>
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>Builds the regex's automaton now, off the query path, rather than during the first query it is asked about.</summary>
    private static void Warm(Regex regex)
    {
        try
        {
            _ = regex.IsMatch("warm-up.sub.example-name.test");
        }
        catch (RegexMatchTimeoutException)
        {
            // A slow start; queries will build the rest.
        }
    }

    private static MemoryStream OpenRead(ReadOnlyMemory<byte> body) =>
        MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);

    /// <summary>
    /// Parses every input and builds the set. An input whose file cannot be read is left out and reported (with its
    /// full path and the system's reason), not fatal. The lists are read twice: first for their <c>$badfilter</c>
    /// rules only (a rule may be cancelled from any list, read before or after its own), then for their rules.
    /// </summary>
    public static BlocklistSet Build(IReadOnlyList<BlocklistInput> inputs, Action<UnreadableList>? reportFailure = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        int count = Math.Min(inputs.Count, ushort.MaxValue + 1);
        var unreadable = new List<UnreadableList>();

        // A rule's list index is its place in Lists, which holds only the lists that could be read.
        var readable = new List<BlocklistInput>(count);
        var badfilters = new BadfilterIndex();
        for (int index = 0; index < count; index++)
        {
            var input = inputs[index];
            var found = new List<BadfilterRule>();
            void OnBadfilter(BadfilterRule badfilter) => found.Add(
                badfilter with
                {
                    Cancels = badfilter.Cancels is { } rule ? AsListed(input, rule) : null,
                    CancelsRegex = badfilter.CancelsRegex is { } regex ? AsListed(input, regex) : null,
                    Line = SourceLine(input, badfilter.Line),
                });
            if (!TryRead(input, reader => BlocklistParser.ScanBadfilters(reader, OptionsFor(input), OnBadfilter), out var failure))
            {
                unreadable.Add(failure!);
                reportFailure?.Invoke(failure!);
                continue;
            }

            found.ForEach(badfilter => badfilters.Add(badfilter, (ushort)readable.Count));
            readable.Add(input);
        }

        var builder = new BlocklistMatcherBuilder();
        var regexes = new List<BlocklistRegex>();
        var loaded = new List<LoadedList>(readable.Count);
        for (int index = 0; index < readable.Count; index++)
        {
            var input = readable[index];
            ushort listIndex = (ushort)index;
            int cancelled = 0;
            void OnRule(BlocklistRule rule)
            {
                rule = AsListed(input, rule);
                if (badfilters.Cancels(rule, listIndex))
                {
                    cancelled++;
                    return;
                }

                builder.Add(rule, listIndex);
            }

            void OnRegex(RegexRule rule)
            {
                rule = AsListed(input, rule);
                if (badfilters.Cancels(rule, listIndex))
                {
                    cancelled++;
                    return;
                }

                var regex = new Regex(rule.Pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, RegexTimeout);
                Warm(regex);
                regexes.Add(new BlocklistRegex(rule, regex, listIndex));
            }

            ParseSummary? summary = null;
            if (!TryRead(input, reader => summary = BlocklistParser.Parse(reader, OptionsFor(input), OnRule, OnRegex), out var failure))
            {
                // Readable a moment ago and not now (replaced, say): reported, and kept in Lists (with what was read
                // of it, if anything) so that the list indices already given stay right.
                unreadable.Add(failure!);
                reportFailure?.Invoke(failure!);
                summary = new ParseSummary();
            }

            summary!.Cancelled = cancelled;
            loaded.Add(new LoadedList(input.Name, input.Source, summary, input.IsAllowList) { InlineEntries = input.InlineLines?.Count });
        }

        return new BlocklistSet(builder.Build(), regexes, loaded) { Cancelled = badfilters.Cancelled, Unreadable = unreadable };
    }

    private static BlocklistParseOptions OptionsFor(BlocklistInput input) =>
        new() { PlainEntriesIncludeSubdomains = input.Subdomains };

    /// <summary>A rule as its list gives it: an allow list's rules allow, and an inline rule's line is its line in the config file.</summary>
    private static BlocklistRule AsListed(BlocklistInput input, BlocklistRule rule) =>
        rule with { Action = input.IsAllowList ? RuleAction.Allow : rule.Action, Line = SourceLine(input, rule.Line) };

    private static RegexRule AsListed(BlocklistInput input, RegexRule rule) =>
        rule with { Action = input.IsAllowList ? RuleAction.Allow : rule.Action, Line = SourceLine(input, rule.Line) };

    /// <summary>The line to cite: for inline rules the config file's line when it is known, else the item's number.</summary>
    private static int SourceLine(BlocklistInput input, int line) =>
        input.InlineLineNumbers is { } lines && line >= 1 && line <= lines.Count && lines[line - 1] > 0 ? lines[line - 1] : line;

    /// <summary>Runs <paramref name="read"/> over the input's text; false, with the reason, when its file cannot be read.</summary>
    private static bool TryRead(BlocklistInput input, Action<TextReader> read, out UnreadableList? failure)
    {
        failure = null;
        try
        {
            if (input.Path is not null)
            {
                using var stream = File.OpenRead(input.Path);
                using var reader = BlocklistParser.Utf8Reader(stream);
                read(reader);
            }
            else if (input.Body is { } body)
            {
                using var stream = OpenRead(body);
                using var reader = BlocklistParser.Utf8Reader(stream);
                read(reader);
            }
            else
            {
                using var reader = new StringReader(string.Join('\n', input.InlineLines ?? []));
                read(reader);
            }

            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            failure = new UnreadableList(input.Name, Path.GetFullPath(input.Path ?? input.Name), Sources.IoReason.Describe(exception, input.Path));
            return false;
        }
    }
}
