using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;

namespace Palisade.Server.Blocklists.Parsers;

/// <summary>The adblock / AdGuard DNS syntax: <c>||domain^</c>, <c>|domain^</c>, <c>@@</c>, <c>$important</c>, regexes.</summary>
internal sealed partial class RuleLineParser
{
    /// <summary>The longest regex accepted.</summary>
    public const int MaxRegexLength = 1000;

    private const int MaxRegexVerdicts = 10_000;

    private static readonly ConcurrentDictionary<string, bool> RegexVerdicts = new(StringComparer.Ordinal);

    private static readonly string[] CosmeticMarkers = ["##", "#@#", "#$#", "#?#", "#%#", "#@$#", "#@?#", "#@%#"];

    /// <summary>
    /// Parses an adblock rule. A rule is taken whole or skipped whole: one with a modifier other than
    /// <c>$important</c>, a path, a wildcard, a prefix or no anchor is never half-applied.
    /// </summary>
    private void ParseAdblock(ReadOnlySpan<char> line)
    {
        Summary.Saw(ParseSummary.LineKinds.Adblock);
        var original = line;
        var action = RuleAction.Block;
        if (line.StartsWith("@@"))
        {
            action = RuleAction.Allow;
            line = line[2..];
        }

        if (line.Length > 1 && line[0] == '/')
        {
            ParseRegex(line, action, original);
            return;
        }

        if (IsCosmetic(line))
        {
            Skip(SkipReasons.CosmeticRule);
            return;
        }

        var important = false;
        var dollar = line.IndexOf('$');
        if (dollar >= 0)
        {
            if (!TryParseModifiers(line[(dollar + 1)..], out important, out var badfilter))
            {
                Skip(SkipReasons.UnsupportedModifier);
                return;
            }

            if (badfilter)
            {
                ParseBadfilter(original, Unmodified(action, line[..dollar], important));
                return;
            }

            line = line[..dollar];
        }

        if (line.Contains("://", StringComparison.Ordinal))
        {
            Skip(SkipReasons.PathRule);
            return;
        }

        ParseDomainPattern(line, action, important);
    }

    private void ParseDomainPattern(ReadOnlySpan<char> pattern, RuleAction action, bool important)
    {
        RuleMatch? match = null;
        if (pattern.StartsWith("||"))
        {
            match = RuleMatch.WithSubdomains;
            pattern = pattern[2..];
        }
        else if (pattern.StartsWith('|'))
        {
            match = RuleMatch.Exact;
            pattern = pattern[1..];
        }

        // The end of the name: "^", "^|" or "|" (all mean the same to DNS), or nothing at all.
        var ended = true;
        if (pattern.EndsWith("^|"))
        {
            pattern = pattern[..^2];
        }
        else if (pattern.EndsWith('^') || pattern.EndsWith('|'))
        {
            pattern = pattern[..^1];
        }
        else
        {
            ended = false;
        }

        var special = pattern.IndexOfAny('*', '/');
        if (special >= 0 && (pattern[special] == '*' || pattern[(special + 1)..].Contains('*')))
        {
            Skip(SkipReasons.WildcardPattern);
        }
        else if (special >= 0)
        {
            Skip(SkipReasons.PathRule);
        }
        else if (match is not null && !ended && pattern.EndsWith('.'))
        {
            // "||tracker." or "||23.109.82.": any name starting so, not one domain.
            Skip(SkipReasons.PartialDomain);
        }
        else if (IsIpAddress(pattern))
        {
            Skip(SkipReasons.IpRule);
        }
        else if (match is null)
        {
            Skip(SkipReasons.UnanchoredPattern);
        }
        else
        {
            AddName(pattern, match.Value, action, important);
        }
    }

    private void ParseRegex(ReadOnlySpan<char> line, RuleAction action, ReadOnlySpan<char> original)
    {
        var important = false;
        ReadOnlySpan<char> pattern;
        if (line[^1] == '/')
        {
            pattern = line[1..^1];
        }
        else
        {
            var close = line.LastIndexOf("/$", StringComparison.Ordinal);
            if (close <= 0)
            {
                // "/banner.gif": a path, not a regex.
                Skip(SkipReasons.PathRule);
                return;
            }

            if (!TryParseModifiers(line[(close + 2)..], out important, out var badfilter))
            {
                Skip(SkipReasons.UnsupportedModifier);
                return;
            }

            if (badfilter)
            {
                ParseBadfilter(original, Unmodified(action, line[..(close + 1)], important));
                return;
            }

            pattern = line[1..close];
        }

        if (pattern.IsEmpty || pattern.Length > MaxRegexLength)
        {
            Skip(SkipReasons.UnsupportedRegex);
            return;
        }

        var text = pattern.ToString();
        if (!IsSupportedRegex(text))
        {
            Skip(SkipReasons.UnsupportedRegex);
            return;
        }

        Summary.RegexRules++;
        _onRegex?.Invoke(new RegexRule(text, action, important, Summary.Lines));
    }

    private static bool IsCosmetic(ReadOnlySpan<char> line)
    {
        if (!line.Contains('#'))
        {
            return false;
        }

        foreach (var marker in CosmeticMarkers)
        {
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the pattern compiles with the non-backtracking engine (matching cost linear in the input).</summary>
    internal static bool IsSupportedRegex(string pattern)
    {
        if (pattern.Length is 0 or > MaxRegexLength)
        {
            return false;
        }

        // Building a non-backtracking regex costs milliseconds (lists repeat theirs, and are re-read on refresh).
        if (RegexVerdicts.TryGetValue(pattern, out var supported))
        {
            return supported;
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            supported = true;
        }
        catch (ArgumentException)
        {
            supported = false;
        }
        catch (NotSupportedException)
        {
            supported = false;
        }

        if (RegexVerdicts.Count < MaxRegexVerdicts)
        {
            RegexVerdicts.TryAdd(pattern, supported);
        }

        return supported;
    }

    /// <summary>
    /// Only <c>important</c> and <c>badfilter</c> are supported; any other modifier makes the whole rule unsupported.
    /// </summary>
    private static bool TryParseModifiers(ReadOnlySpan<char> modifiers, out bool important, out bool badfilter)
    {
        important = false;
        badfilter = false;
        if (modifiers.IsEmpty)
        {
            return false;
        }

        foreach (var range in modifiers.Split(','))
        {
            var modifier = modifiers[range].Trim();
            if (modifier.Equals("important", StringComparison.OrdinalIgnoreCase))
            {
                important = true;
            }
            else if (modifier.Equals("badfilter", StringComparison.OrdinalIgnoreCase))
            {
                badfilter = true;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIpAddress(ReadOnlySpan<char> text)
    {
        text = text.TrimEnd('.');
        return !text.IsEmpty && !text.ContainsAnyExcept(AddressChars) && (text.Contains('.') || text.Contains(':'))
            && IPAddress.TryParse(text, out _);
    }
}
