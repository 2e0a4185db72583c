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

    /// <summary>Parses every input and builds the set. An input whose file cannot be read is reported, not fatal.</summary>
    public static BlocklistSet Build(IReadOnlyList<BlocklistInput> inputs, Action<BlocklistInput, string>? reportFailure = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var builder = new BlocklistMatcherBuilder();
        var regexes = new List<BlocklistRegex>();
        var loaded = new List<LoadedList>(inputs.Count);
        for (int index = 0; index < inputs.Count && index <= ushort.MaxValue; index++)
        {
            var input = inputs[index];
            ushort listIndex = (ushort)index;
            var options = new BlocklistParseOptions { PlainEntriesIncludeSubdomains = input.Subdomains };
            void OnRule(BlocklistRule rule) =>
                builder.Add(input.IsAllowList ? rule with { Action = RuleAction.Allow } : rule, listIndex);
            void OnRegex(RegexRule rule)
            {
                var regex = new Regex(rule.Pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, RegexTimeout);
                Warm(regex);
                regexes.Add(new BlocklistRegex(input.IsAllowList ? rule with { Action = RuleAction.Allow } : rule, regex, listIndex));
            }

            ParseSummary summary;
            try
            {
                if (input.Path is not null)
                {
                    using var stream = File.OpenRead(input.Path);
                    summary = BlocklistParser.Parse(stream, options, OnRule, OnRegex);
                }
                else if (input.Body is { } body)
                {
                    using var stream = OpenRead(body);
                    summary = BlocklistParser.Parse(stream, options, OnRule, OnRegex);
                }
                else
                {
                    using var reader = new StringReader(string.Join('\n', input.InlineLines ?? []));
                    summary = BlocklistParser.Parse(reader, options, OnRule, OnRegex);
                }
            }
            catch (IOException exception)
            {
                reportFailure?.Invoke(input, exception.Message);
                continue;
            }
            catch (UnauthorizedAccessException exception)
            {
                reportFailure?.Invoke(input, exception.Message);
                continue;
            }

            loaded.Add(new LoadedList(input.Name, input.Source, summary, input.IsAllowList));
        }

        return new BlocklistSet(builder.Build(), regexes, loaded);
    }
}
