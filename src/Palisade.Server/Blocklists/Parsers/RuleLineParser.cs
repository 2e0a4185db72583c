using System.Buffers;
using System.Net;

namespace Palisade.Server.Blocklists.Parsers;

/// <summary>
/// Parses one list line at a time, whatever its syntax (hosts, plain domain, <c>*.domain</c>, adblock), and counts
/// what it finds in a <see cref="ParseSummary"/>. The syntax is decided per line, so a list may mix them.
/// </summary>
internal sealed partial class RuleLineParser(
    BlocklistParseOptions options,
    Action<BlocklistRule> onRule,
    Action<RegexRule>? onRegex,
    Action<BadfilterRule>? onBadfilter = null)
{
    private static readonly SearchValues<char> AddressChars = SearchValues.Create("0123456789abcdefABCDEF.:");

    private static readonly SearchValues<char> AdblockChars = SearchValues.Create("#^$");

    private readonly RuleMatch _plainMatch = options.PlainEntriesIncludeSubdomains ? RuleMatch.WithSubdomains : RuleMatch.Exact;
    private readonly Action<BlocklistRule> _onRule = onRule;
    private readonly Action<RegexRule>? _onRegex = onRegex;
    private readonly Action<BadfilterRule>? _onBadfilter = onBadfilter;
    private readonly BlocklistParseOptions _options = options;

    public ParseSummary Summary { get; } = new();

    /// <summary>Counts and parses the next line (without its line ending).</summary>
    public void ParseLine(ReadOnlySpan<char> line)
    {
        Summary.Lines++;
        line = line.Trim();
        if (line.IsEmpty)
        {
            Summary.Blank++;
            return;
        }

        var first = line[0];
        if (first is '#' or '!' || (first == '[' && line[^1] == ']'))
        {
            Summary.Comments++;
            return;
        }

        if (first is '|' or '/' || line.StartsWith("@@"))
        {
            ParseAdblock(line);
            return;
        }

        line = StripInlineComment(line);
        var space = line.IndexOfAny(' ', '\t');
        if (space > 0 && IsAddress(line[..space]))
        {
            ParseHosts(line[(space + 1)..]);
            return;
        }

        if (line.ContainsAny(AdblockChars))
        {
            ParseAdblock(line);
            return;
        }

        if (line.StartsWith("*."))
        {
            Summary.Saw(ParseSummary.LineKinds.Wildcard);
            AddName(line[2..], RuleMatch.WithSubdomains, RuleAction.Block, important: false);
            return;
        }

        if (first is '-' or '.' || line.Contains('*'))
        {
            // Adblock patterns without anchors or with wildcards, e.g. "-ad123-", ".example.com", "ads*.example.com".
            ParseAdblock(line);
            return;
        }

        Summary.Saw(ParseSummary.LineKinds.Domains);
        if (space > 0)
        {
            Skip(SkipReasons.InvalidName);
        }
        else if (line.Contains('/'))
        {
            Skip(SkipReasons.PathRule);
        }
        else
        {
            AddName(line, _plainMatch, RuleAction.Block, important: false);
        }
    }

    private void ParseHosts(ReadOnlySpan<char> names)
    {
        Summary.Saw(ParseSummary.LineKinds.Hosts);
        var any = false;
        while (true)
        {
            names = names.TrimStart();
            if (names.IsEmpty)
            {
                break;
            }

            var end = names.IndexOfAny(' ', '\t');
            var name = end < 0 ? names : names[..end];
            names = end < 0 ? default : names[end..];
            AddName(name, _plainMatch, RuleAction.Block, important: false);
            any = true;
        }

        if (!any)
        {
            // An address with no names after it (only a comment, say).
            Skip(SkipReasons.IpRule);
        }
    }

    /// <summary>Validates a name and delivers it as a rule, or counts why not.</summary>
    private void AddName(ReadOnlySpan<char> text, RuleMatch match, RuleAction action, bool important)
    {
        if (text.Contains('*'))
        {
            Skip(SkipReasons.WildcardPattern);
            return;
        }

        switch (DomainName.Normalize(text, out var domain))
        {
            case NameStatus.Valid:
                Summary.Rules++;
                _onRule(new BlocklistRule(domain!, match, action, important, Summary.Lines));
                break;
            case NameStatus.Local:
                Skip(SkipReasons.LocalEntry);
                break;
            case NameStatus.IpAddress:
                Skip(SkipReasons.IpRule);
                break;
            default:
                Skip(SkipReasons.InvalidName);
                break;
        }
    }

    private void Skip(string reason) => Summary.Skip(reason);

    /// <summary>Cuts a <c># comment</c> that follows whitespace (hosts and domain lists allow them after an entry).</summary>
    private static ReadOnlySpan<char> StripInlineComment(ReadOnlySpan<char> line)
    {
        var from = 0;
        while (true)
        {
            var hash = line[from..].IndexOf('#');
            if (hash < 0)
            {
                return line;
            }

            hash += from;
            if (hash > 0 && line[hash - 1] is ' ' or '\t')
            {
                return line[..hash].TrimEnd();
            }

            from = hash + 1;
        }
    }

    /// <summary>True when the first field of a line is an IP address (the hosts format).</summary>
    private static bool IsAddress(ReadOnlySpan<char> token)
    {
        if (token.SequenceEqual("0.0.0.0") || token.SequenceEqual("127.0.0.1"))
        {
            return true;
        }

        // Only digits, dots, hex digits and colons: try the full parser.
        return !token.ContainsAnyExcept(AddressChars)
            && (token.Contains('.') || token.Contains(':'))
            && IPAddress.TryParse(token, out _);
    }
}
