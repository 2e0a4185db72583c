using System.Text;
using Palisade.Server.Blocklists;
using Palisade.Server.Blocklists.Matching;
using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Fuzz.Targets;

/// <summary>
/// A blocklist's octets, parsed as a list is (UTF-8, lines, each line's syntax detected), then built into a set and
/// asked about every name it delivered. Parsing never throws (a bad line is skipped and counted), every rule it
/// delivers is a valid name, and a name the set was built from is never "not listed" unless a $badfilter cancelled its rule.
/// </summary>
internal static class BlocklistTarget
{
    public static void Run(ReadOnlySpan<byte> input, bool subdomains, bool allowList)
    {
        var options = new BlocklistParseOptions { PlainEntriesIncludeSubdomains = subdomains };
        var rules = new List<BlocklistRule>();
        var regexes = new List<RegexRule>();
        ParseSummary summary;
        using (var stream = new MemoryStream(input.ToArray(), writable: false))
        {
            summary = BlocklistParser.Parse(stream, options, rules.Add, regexes.Add);
        }

        _ = summary.ToString();
        if (summary.Rules != rules.Count || summary.RegexRules != regexes.Count ||
            summary.Lines < summary.Blank + summary.Comments || summary.Skipped.Values.Sum() != summary.SkippedTotal)
        {
            throw new FuzzInvariantException($"the summary ({summary}) does not add up to {rules.Count} rules and {regexes.Count} regexes");
        }

        foreach (var rule in rules)
        {
            CheckDomain(rule.Domain);
        }

        // The same text as an inline list through the set builder (which compiles the regexes), then every rule's name
        // looked up, in wire and in text form.
        string text = Decode(input);
        var inputs = new[]
        {
            new BlocklistInput("fuzz", "fuzz", Path: null, text.Split('\n'), subdomains, allowList),
        };
        var set = BlocklistSetBuilder.Build(inputs, failure => throw new FuzzInvariantException($"an inline list failed: {failure.Reason}"));
        if (set.Matcher.DomainCount > rules.Count)
        {
            throw new FuzzInvariantException($"{set.Matcher.DomainCount} domains in the set from {rules.Count} rules");
        }

        foreach (var rule in rules)
        {
            // A rule that a $badfilter line of the same input cancels is rightly left out of the set.
            if (set.Decide(rule.Domain, out var verdict, out _) == MatchOutcome.NotListed && !set.Cancelled.Any(c => c.Covers(rule.Domain)))
            {
                throw new FuzzInvariantException($"'{rule.Domain}' (line {rule.Line}) is in the list but not in the set");
            }

            _ = set.Matcher.Explain(verdict);
            Lookup(set, rule.Domain);
            Lookup(set, "fuzz-sub." + rule.Domain);
        }

        foreach (string probe in Probes)
        {
            Lookup(set, probe);
        }
    }

    /// <summary>Names that no list is likely to hold, so that regex rules and parent lookups are tried.</summary>
    private static readonly string[] Probes = ["example.com", "ads.example.com", "a.b.c.d.e.f", "xn--bcher-kva.example", "_dmarc.example.org"];

    /// <summary>The list's text as the parser reads a file: UTF-8 with any byte-order mark honoured, bad octets replaced.</summary>
    private static string Decode(ReadOnlySpan<byte> input)
    {
        using var stream = new MemoryStream(input.ToArray(), writable: false);
        using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Asks the set about a dotted name as the blocking handler does: lower-case wire form with its root octet.</summary>
    private static void Lookup(BlocklistSet set, string name)
    {
        Span<byte> wire = stackalloc byte[DomainWire.MaxLength + 1];
        int length = DomainWire.FromText(name, wire);
        if (length <= 0 || length >= wire.Length)
        {
            return;
        }

        wire[length] = 0;
        bool blocked = set.IsBlocked(wire[..(length + 1)]);
        if (blocked != (set.Decide(name, out _, out _) == MatchOutcome.Blocked))
        {
            throw new FuzzInvariantException($"'{name}': IsBlocked says {blocked}, Decide disagrees");
        }
    }

    /// <summary>What <see cref="BlocklistRule"/> promises of its domain.</summary>
    private static void CheckDomain(string domain)
    {
        if (domain.Length is 0 or > 253 || domain[^1] == '.')
        {
            throw new FuzzInvariantException($"rule domain '{domain}' has a bad length or a trailing dot");
        }

        foreach (string label in domain.Split('.'))
        {
            if (label.Length is 0 or > 63 || label.Any(c => c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_')))
            {
                throw new FuzzInvariantException($"rule domain '{domain}' has a bad label '{label}'");
            }
        }
    }
}

/// <summary>Hosts files (<c>0.0.0.0 name [name...]</c>), with the default options.</summary>
public static class HostsTarget
{
    public static void Run(ReadOnlySpan<byte> input) => BlocklistTarget.Run(input, subdomains: false, allowList: false);
}

/// <summary>Plain-domain and <c>*.domain</c> lists, read as <c>subdomains: true</c> lists (HaGeZi's wildcard lists).</summary>
public static class DomainsTarget
{
    public static void Run(ReadOnlySpan<byte> input) => BlocklistTarget.Run(input, subdomains: true, allowList: false);
}

/// <summary>Adblock / AdGuard DNS syntax, read as an allow list (so that every rule becomes an allow rule).</summary>
public static class AdblockTarget
{
    public static void Run(ReadOnlySpan<byte> input) => BlocklistTarget.Run(input, subdomains: false, allowList: true);
}
