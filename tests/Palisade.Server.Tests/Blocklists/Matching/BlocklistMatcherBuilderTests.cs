using System.Diagnostics;
using System.Runtime.CompilerServices;
using Palisade.Server.Blocklists.Matching;
using Palisade.Server.Blocklists.Parsers;
using Xunit.Abstractions;

namespace Palisade.Server.Tests.Blocklists.Matching;

public sealed class BlocklistMatcherBuilderTests(ITestOutputHelper output)
{
    [Fact]
    public void Add_SameDomainInTwoLists_CountedOnceAndKeepsFirstSource()
    {
        var builder = new BlocklistMatcherBuilder();
        builder.Add(MatcherRules.Parse("||ads.example.com", line: 12), 3);
        builder.Add(MatcherRules.Parse("||ads.example.com", line: 40), 1);
        builder.Add(MatcherRules.Parse("||ADS.example.com", line: 41), 0);

        var matcher = builder.Build();

        Assert.Equal(1, builder.Count);
        Assert.Equal(1, matcher.DomainCount);
        var explanation = matcher.Explain(matcher.Match("x.ads.example.com".AsSpan()));
        Assert.NotNull(explanation);
        Assert.Equal((ushort)3, explanation.ListIndex);
        Assert.Equal(12, explanation.Rule.Line);
        Assert.Equal("ads.example.com", explanation.Rule.Domain);
    }

    [Fact]
    public void Explain_SeveralKindsOnOneDomain_EachKeepsItsFirstSource()
    {
        var builder = new BlocklistMatcherBuilder();
        builder.Add(MatcherRules.Parse("example.com", line: 5), 0);
        builder.Add(MatcherRules.Parse("@@||example.com", line: 7), 2);
        builder.Add(MatcherRules.Parse("example.com", line: 9), 1);
        builder.Add(MatcherRules.Parse("||example.com!", line: 3), 4);
        builder.Add(MatcherRules.Parse("@@||example.com", line: 1), 5);
        builder.Add(MatcherRules.Parse("||tracker.net", line: 2), 6);

        var matcher = builder.Build();

        var decided = matcher.Explain(matcher.Match("example.com".AsSpan()));
        Assert.Equal(new MatchExplanation(MatcherRules.Parse("||example.com!", line: 3), 4), decided);
        var all = matcher.ExplainAll("example.com");
        Assert.Equal(
            [
                new MatchExplanation(MatcherRules.Parse("example.com", line: 5), 0),
                new MatchExplanation(MatcherRules.Parse("@@||example.com", line: 7), 2),
                new MatchExplanation(MatcherRules.Parse("||example.com!", line: 3), 4),
            ],
            all);
        var below = matcher.ExplainAll("www.example.com");
        Assert.Equal(["@@||example.com", "||example.com!"], below.Select(e => MatcherRules.Format(e.Rule)));
        var tracker = matcher.Explain(matcher.Match("a.tracker.net".AsSpan()));
        Assert.Equal(new MatchExplanation(MatcherRules.Parse("||tracker.net", line: 2), 6), tracker);
    }

    [Fact]
    public void Explain_NotListed_ReturnsNull()
    {
        var matcher = MatcherRules.Matcher("||example.com");

        Assert.Null(matcher.Explain(matcher.Match("example.org".AsSpan())));
        Assert.Empty(matcher.ExplainAll("example.org"));
    }

    [Fact]
    public void Explain_VerdictOfAnotherMatcher_Throws()
    {
        var big = MatcherRules.Matcher("a.com b.com c.com");
        var small = MatcherRules.Matcher("x.com");

        Assert.Throws<ArgumentException>(() => small.Explain(big.Match("c.com".AsSpan())));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..com")]
    [InlineData(".com")]
    [InlineData("caf\u00e9.com")]
    public void Add_NotADomain_Throws(string domain)
    {
        var builder = new BlocklistMatcherBuilder();

        Assert.Throws<ArgumentException>(() => builder.Add(new BlocklistRule(domain, RuleMatch.Exact, RuleAction.Block, false, 1), 0));
        Assert.Equal(0, builder.Count);
    }

    [Fact]
    public void Empty_AnyName_NotListed()
    {
        Assert.Equal(0, BlocklistMatcher.Empty.DomainCount);
        Assert.Equal(MatchVerdict.NotListed, BlocklistMatcher.Empty.Match("example.com".AsSpan()));
        Assert.Equal(MatchVerdict.NotListed, BlocklistMatcher.Empty.Match(MatcherRules.Wire("example.com").AsSpan()));
        Assert.Equal(-1, MatchVerdict.NotListed.EntryIndex);
        Assert.Equal(default, MatchVerdict.NotListed);
    }

    [Fact]
    public void Build_BuilderKeepsGoing_LaterBuildSeesMoreAndEarlierIsUnchanged()
    {
        var builder = new BlocklistMatcherBuilder(expectedDomains: 1);
        builder.Add(MatcherRules.Parse("a.com"), 0);
        var first = builder.Build();
        for (int i = 0; i < 100; i++)
        {
            builder.Add(MatcherRules.Parse($"host{i}.b.com"), 0);
        }

        var second = builder.Build();

        Assert.Equal(1, first.DomainCount);
        Assert.Equal(101, second.DomainCount);
        Assert.Equal(MatchOutcome.NotListed, first.Match("host99.b.com".AsSpan()).Outcome);
        Assert.Equal(MatchOutcome.Blocked, second.Match("host99.b.com".AsSpan()).Outcome);
        Assert.Equal(MatchOutcome.Blocked, second.Match("a.com".AsSpan()).Outcome);
    }

    [Fact]
    public void Build_OneMillionDomains_BuildsInTimeAndEveryNameMatches()
    {
        const int Count = 1_000_000;
        var random = new Random(1);
        var rules = new BlocklistRule[Count];
        long characters = 0;
        for (int i = 0; i < Count; i++)
        {
            rules[i] = new BlocklistRule(MatcherRules.SyntheticDomain(random, i), RuleMatch.WithSubdomains, RuleAction.Block, false, i + 1);
            characters += rules[i].Domain.Length;
        }

        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        var (matcher, elapsed) = BuildAll(rules);
        long retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;

        output.WriteLine(
            $"{Count:N0} domains, {(double)characters / Count:F1} characters on average: built in {elapsed.TotalMilliseconds:F0} ms; " +
            $"retained {retained:N0} bytes ({(double)retained / Count:F1} a name), ApproximateBytes {matcher.ApproximateBytes:N0} " +
            $"({(double)matcher.ApproximateBytes / Count:F1} a name)");
        Assert.Equal(Count, matcher.DomainCount);
        Assert.True(matcher.ApproximateBytes < 100L * Count, $"{matcher.ApproximateBytes} bytes.");

        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < rules.Length; i++)
        {
            var verdict = matcher.Match(rules[i].Domain.AsSpan());
            Assert.True(verdict.IsBlocked);
        }

        output.WriteLine($"{Count:N0} text lookups (hits) in {stopwatch.ElapsedMilliseconds} ms");
        var last = matcher.Explain(matcher.Match(("deep.below." + rules[^1].Domain).AsSpan()));
        Assert.Equal(new MatchExplanation(rules[^1], (ushort)((Count - 1) & 7)), last);
    }

    /// <summary>Builds in its own frame, so the builder is garbage when the caller measures what the matcher keeps.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (BlocklistMatcher Matcher, TimeSpan Elapsed) BuildAll(BlocklistRule[] rules)
    {
        var stopwatch = Stopwatch.StartNew();
        var builder = new BlocklistMatcherBuilder(rules.Length);
        for (int i = 0; i < rules.Length; i++)
        {
            builder.Add(rules[i], (ushort)(i & 7));
        }

        var matcher = builder.Build();
        return (matcher, stopwatch.Elapsed);
    }
}
