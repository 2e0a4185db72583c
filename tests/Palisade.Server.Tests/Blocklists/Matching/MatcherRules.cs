using Palisade.Server.Blocklists.Matching;
using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Tests.Blocklists.Matching;

/// <summary>
/// A compact notation for rules in test tables: <c>||</c> covers subdomains, a leading <c>@@</c> allows, a trailing
/// <c>!</c> is important. <c>example.com</c> blocks that name only; <c>@@||example.com!</c> is an important allow
/// of it and everything below it.
/// </summary>
internal static class MatcherRules
{
    public static BlocklistRule Parse(string notation, int line = 1)
    {
        var action = RuleAction.Block;
        var match = RuleMatch.Exact;
        bool important = false;
        if (notation.StartsWith("@@", StringComparison.Ordinal))
        {
            action = RuleAction.Allow;
            notation = notation[2..];
        }

        if (notation.StartsWith("||", StringComparison.Ordinal))
        {
            match = RuleMatch.WithSubdomains;
            notation = notation[2..];
        }

        if (notation.EndsWith('!'))
        {
            important = true;
            notation = notation[..^1];
        }

        return new BlocklistRule(notation, match, action, important, line);
    }

    public static string Format(BlocklistRule rule) =>
        (rule.Action == RuleAction.Allow ? "@@" : "") +
        (rule.Match == RuleMatch.WithSubdomains ? "||" : "") +
        rule.Domain +
        (rule.Important ? "!" : "");

    /// <summary>A matcher of space-separated rules, all from list 0, each on its own line (1, 2, ...).</summary>
    public static BlocklistMatcher Matcher(string rules)
    {
        var builder = new BlocklistMatcherBuilder();
        int line = 1;
        foreach (string notation in rules.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Add(Parse(notation, line++), 0);
        }

        return builder.Build();
    }

    /// <summary>The dotted name in wire form, root octet included; as given (no lowering).</summary>
    public static byte[] Wire(string name)
    {
        var wire = new List<byte>();
        foreach (string label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            wire.Add((byte)label.Length);
            wire.AddRange(label.Select(c => (byte)c));
        }

        wire.Add(0);
        return [.. wire];
    }

    /// <summary>A realistic synthetic domain of about 20-25 characters, e.g. <c>qzkwhtp.mxbdlarfe.com</c>.</summary>
    public static string SyntheticDomain(Random random, int index)
    {
        string[] tlds = ["com", "net", "org", "io", "de", "co.uk", "info"];
        Span<char> buffer = stackalloc char[64];
        int length = 0;
        int first = random.Next(4, 10);
        for (int i = 0; i < first; i++)
        {
            buffer[length++] = (char)('a' + random.Next(26));
        }

        length += index.TryFormat(buffer[length..], out int written, provider: System.Globalization.CultureInfo.InvariantCulture) ? written : 0;
        buffer[length++] = '.';
        int second = random.Next(5, 10);
        for (int i = 0; i < second; i++)
        {
            buffer[length++] = (char)('a' + random.Next(26));
        }

        buffer[length++] = '.';
        string tld = tlds[random.Next(tlds.Length)];
        tld.CopyTo(buffer[length..]);
        length += tld.Length;
        return new string(buffer[..length]);
    }
}
