using Palisade.Server.Blocklists.Matching;
using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Tests.Blocklists.Matching;

public sealed class BlocklistMatcherLookupTests
{
    private static readonly string[] Labels = ["a", "b", "ads", "www", "cdn", "example", "com", "net", "x1", "t-r"];

    [Fact]
    public void Match_RandomRulesAndNames_WireTextAndModelAgree()
    {
        var random = new Random(20240611);
        for (int round = 0; round < 50; round++)
        {
            var rules = new List<BlocklistRule>();
            var builder = new BlocklistMatcherBuilder();
            for (int i = 0; i < random.Next(1, 40); i++)
            {
                var rule = new BlocklistRule(
                    RandomName(random, 1, 4),
                    random.Next(2) == 0 ? RuleMatch.Exact : RuleMatch.WithSubdomains,
                    random.Next(3) == 0 ? RuleAction.Allow : RuleAction.Block,
                    random.Next(5) == 0,
                    i + 1);
                rules.Add(rule);
                builder.Add(rule, (ushort)(i % 3));
            }

            var matcher = builder.Build();
            for (int query = 0; query < 200; query++)
            {
                string name = RandomName(random, 1, 7);
                var text = matcher.Match(name.AsSpan());
                var wire = matcher.Match(MatcherRules.Wire(name).AsSpan());
                var upper = matcher.Match(name.ToUpperInvariant().AsSpan());
                var upperWire = matcher.Match(MatcherRules.Wire(name.ToUpperInvariant()).AsSpan());

                Assert.Equal(text, wire);
                Assert.Equal(text, upper);
                Assert.Equal(text, upperWire);
                var (outcome, decidedBy) = Model(rules, name);
                Assert.Equal(outcome, text.Outcome);
                var explanation = matcher.Explain(text);
                Assert.Equal(decidedBy is null ? null : Key(decidedBy.Value), explanation is null ? null : Key(explanation.Rule));
            }
        }
    }

    [Fact]
    public void MatchWire_NameInPlaceWithTrailingOctets_ReadsUpToTheRootOctet()
    {
        var matcher = MatcherRules.Matcher("||example.com");
        byte[] message = [.. MatcherRules.Wire("www.example.com"), 0, 1, 0, 1];

        Assert.Equal(MatchOutcome.Blocked, matcher.Match(message.AsSpan()).Outcome);
    }

    [Fact]
    public void MatchWire_WithoutRootOctet_Matches()
    {
        var matcher = MatcherRules.Matcher("||example.com");
        var wire = MatcherRules.Wire("www.example.com");

        Assert.Equal(MatchOutcome.Blocked, matcher.Match(wire.AsSpan(0, wire.Length - 1)).Outcome);
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0x0C })]
    [InlineData(new byte[] { 3, (byte)'w', (byte)'w', (byte)'w', 0xC0, 0x0C })]
    [InlineData(new byte[] { 7, (byte)'e', (byte)'x' })]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { })]
    public void MatchWire_MalformedOrRoot_NotListed(byte[] wire)
    {
        var matcher = MatcherRules.Matcher("||com ||www");

        Assert.Equal(MatchVerdict.NotListed, matcher.Match(wire.AsSpan()));
    }

    [Fact]
    public void Match_OverLongNames_NotListed()
    {
        var matcher = MatcherRules.Matcher("||com");
        string longLabel = new string('a', 64) + ".com";
        string longName = string.Join('.', Enumerable.Repeat("abcdefghi", 26)) + ".com";

        Assert.Equal(MatchOutcome.NotListed, matcher.Match(longLabel.AsSpan()).Outcome);
        Assert.Equal(MatchOutcome.NotListed, matcher.Match(longName.AsSpan()).Outcome);
        Assert.Equal(MatchOutcome.NotListed, matcher.Match(MatcherRules.Wire(longName).AsSpan()).Outcome);
    }

    [Fact]
    public void Match_LongestName_MatchesAndOneMoreCharacterDoesNot()
    {
        // 253 characters: the longest name (255 octets in wire form with the root octet).
        string longest = string.Join('.', Enumerable.Repeat(new string('a', 62), 4)) + ".a";
        var matcher = MatcherRules.Matcher(longest);

        Assert.Equal(253, longest.Length);
        Assert.Equal(MatchOutcome.Blocked, matcher.Match(longest.AsSpan()).Outcome);
        Assert.Equal(MatchOutcome.Blocked, matcher.Match((longest + ".").AsSpan()).Outcome);
        Assert.Equal(MatchOutcome.Blocked, matcher.Match(MatcherRules.Wire(longest).AsSpan()).Outcome);
        Assert.Equal(MatchOutcome.NotListed, matcher.Match(("a" + longest).AsSpan()).Outcome);
        Assert.Equal(MatchOutcome.NotListed, matcher.Match(MatcherRules.Wire("a" + longest).AsSpan()).Outcome);
    }

    [Fact]
    public void Match_Lookups_AllocateNothing()
    {
        var builder = new BlocklistMatcherBuilder();
        var random = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            builder.Add(new BlocklistRule(MatcherRules.SyntheticDomain(random, i), RuleMatch.WithSubdomains, RuleAction.Block, false, i + 1), 0);
        }

        builder.Add(MatcherRules.Parse("@@||allowed.example.com"), 1);
        var matcher = builder.Build();
        string listed = MatcherRules.SyntheticDomain(new Random(7), 0);
        byte[][] wires =
        [
            MatcherRules.Wire(listed),
            MatcherRules.Wire("a.b.c.d.e." + listed),
            MatcherRules.Wire("not.listed.example.org"),
            MatcherRules.Wire("A.B.Allowed.Example.COM"),
        ];
        string[] texts = [listed, "a.b.c.d.e." + listed + ".", "NOT.listed.example.org", "x.allowed.example.com"];

        int blocked = Lookups(matcher, wires, texts);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            blocked += Lookups(matcher, wires, texts);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(1001 * 4, blocked);
    }

    private static int Lookups(BlocklistMatcher matcher, byte[][] wires, string[] texts)
    {
        int blocked = 0;
        foreach (var wire in wires)
        {
            blocked += matcher.Match(wire.AsSpan()).IsBlocked ? 1 : 0;
        }

        foreach (string text in texts)
        {
            blocked += matcher.Match(text.AsSpan()).IsBlocked ? 1 : 0;
        }

        return blocked;
    }

    private static string RandomName(Random random, int minLabels, int maxLabels) =>
        string.Join('.', Enumerable.Range(0, random.Next(minLabels, maxLabels + 1)).Select(_ => Labels[random.Next(Labels.Length)]));

    private static string Key(BlocklistRule rule) => MatcherRules.Format(rule);

    /// <summary>The semantics written out plainly: filter the rules that match, rank them, take the first.</summary>
    private static (MatchOutcome Outcome, BlocklistRule? DecidedBy) Model(List<BlocklistRule> rules, string name)
    {
        var matching = rules
            .Where(r => r.Domain == name || (r.Match == RuleMatch.WithSubdomains && name.EndsWith("." + r.Domain, StringComparison.Ordinal)))
            .OrderBy(r => (r.Important, r.Action) switch
            {
                (true, RuleAction.Allow) => 0,
                (true, RuleAction.Block) => 1,
                (false, RuleAction.Allow) => 2,
                _ => 3,
            })
            .ThenByDescending(r => r.Domain.Length)
            .ThenBy(r => r.Match)
            .ToList();
        if (matching.Count == 0)
        {
            return (MatchOutcome.NotListed, null);
        }

        var first = matching[0];
        return (first.Action == RuleAction.Allow ? MatchOutcome.Allowed : MatchOutcome.Blocked, first);
    }
}
