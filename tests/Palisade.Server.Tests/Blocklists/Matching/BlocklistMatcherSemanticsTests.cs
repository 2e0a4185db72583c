using Palisade.Server.Blocklists.Matching;

namespace Palisade.Server.Tests.Blocklists.Matching;

/// <summary>
/// The verdict table. Rules are in <see cref="MatcherRules"/> notation: <c>||</c> subdomains too, <c>@@</c> allow,
/// trailing <c>!</c> important. Each row also states which rule must be reported as deciding.
/// </summary>
public sealed class BlocklistMatcherSemanticsTests
{
    public static TheoryData<string, string, MatchOutcome, string?> Cases => new()
    {
        // Exact rules: the name only, neither children nor parents.
        { "ads.example.com", "ads.example.com", MatchOutcome.Blocked, "ads.example.com" },
        { "ads.example.com", "x.ads.example.com", MatchOutcome.NotListed, null },
        { "ads.example.com", "example.com", MatchOutcome.NotListed, null },
        { "ads.example.com", "ads.example.org", MatchOutcome.NotListed, null },

        // Subdomain rules: the name and everything below it, on label boundaries only.
        { "||example.com", "example.com", MatchOutcome.Blocked, "||example.com" },
        { "||example.com", "www.example.com", MatchOutcome.Blocked, "||example.com" },
        { "||example.com", "a.b.c.d.e.f.g.h.example.com", MatchOutcome.Blocked, "||example.com" },
        { "||example.com", "badexample.com", MatchOutcome.NotListed, null },
        { "||example.com", "com", MatchOutcome.NotListed, null },
        { "||example.com", "example.com.evil.net", MatchOutcome.NotListed, null },
        { "||www.example.com", "example.com", MatchOutcome.NotListed, null },

        // Root and TLD rules.
        { "||com", "www.example.com", MatchOutcome.Blocked, "||com" },
        { "||com", "com", MatchOutcome.Blocked, "||com" },
        { "||com", "example.org", MatchOutcome.NotListed, null },
        { "com", "example.com", MatchOutcome.NotListed, null },
        { "||com @@||example.com", "ads.example.com", MatchOutcome.Allowed, "@@||example.com" },

        // Allow beats block, at the same level and at any other.
        { "||example.com @@example.com", "example.com", MatchOutcome.Allowed, "@@example.com" },
        { "example.com @@example.com", "example.com", MatchOutcome.Allowed, "@@example.com" },
        { "||example.com @@www.example.com", "www.example.com", MatchOutcome.Allowed, "@@www.example.com" },
        { "||example.com @@www.example.com", "a.www.example.com", MatchOutcome.Blocked, "||example.com" },
        { "||ads.example.com @@||example.com", "ads.example.com", MatchOutcome.Allowed, "@@||example.com" },
        { "||ads.example.com @@||example.com", "x.y.ads.example.com", MatchOutcome.Allowed, "@@||example.com" },
        { "x.y.ads.example.com @@||example.com", "x.y.ads.example.com", MatchOutcome.Allowed, "@@||example.com" },
        { "||www.example.com @@example.com", "www.example.com", MatchOutcome.Blocked, "||www.example.com" },
        { "@@||example.com", "www.example.com", MatchOutcome.Allowed, "@@||example.com" },

        // Important block beats allow; important allow beats important block.
        { "||example.com! @@||www.example.com", "www.example.com", MatchOutcome.Blocked, "||example.com!" },
        { "||example.com! @@example.com", "example.com", MatchOutcome.Blocked, "||example.com!" },
        { "ads.example.com! @@||example.com", "ads.example.com", MatchOutcome.Blocked, "ads.example.com!" },
        { "ads.example.com! @@||example.com", "x.ads.example.com", MatchOutcome.Allowed, "@@||example.com" },
        { "||example.com! @@||www.example.com!", "a.www.example.com", MatchOutcome.Allowed, "@@||www.example.com!" },
        { "||ads.example.com! @@||example.com!", "ads.example.com", MatchOutcome.Allowed, "@@||example.com!" },
        { "||example.com! @@example.com!", "example.com", MatchOutcome.Allowed, "@@example.com!" },
        { "||example.com! @@example.com!", "www.example.com", MatchOutcome.Blocked, "||example.com!" },
        { "@@||example.com! ||www.example.com", "www.example.com", MatchOutcome.Allowed, "@@||example.com!" },

        // The most specific match of the winning class is reported; on one domain, exact before subtree.
        { "||example.com ||ads.example.com", "x.ads.example.com", MatchOutcome.Blocked, "||ads.example.com" },
        { "||example.com example.com", "example.com", MatchOutcome.Blocked, "example.com" },
        { "@@||example.com @@||ads.example.com ||a.ads.example.com", "a.ads.example.com", MatchOutcome.Allowed, "@@||ads.example.com" },

        // Case, trailing dot, and what is not a name.
        { "||example.com", "WWW.Example.COM", MatchOutcome.Blocked, "||example.com" },
        { "||example.com", "www.example.com.", MatchOutcome.Blocked, "||example.com" },
        { "ads.example.com", "ADS.EXAMPLE.COM.", MatchOutcome.Blocked, "ads.example.com" },
        { "||com", ".", MatchOutcome.NotListed, null },
        { "||com", "", MatchOutcome.NotListed, null },
        { "||com", "a..com", MatchOutcome.NotListed, null },
        { "||com", "caf\u00e9.com", MatchOutcome.NotListed, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchText_RuleTable_DecidesAndReportsTheRule(string rules, string name, MatchOutcome expected, string? decidedBy)
    {
        var matcher = MatcherRules.Matcher(rules);

        var verdict = matcher.Match(name.AsSpan());

        Assert.Equal(expected, verdict.Outcome);
        var explanation = matcher.Explain(verdict);
        Assert.Equal(decidedBy, explanation is null ? null : MatcherRules.Format(explanation.Rule));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchWire_RuleTable_AgreesWithText(string rules, string name, MatchOutcome expected, string? decidedBy)
    {
        _ = decidedBy;
        if (name.Contains("..", StringComparison.Ordinal) || name.Any(c => c > 0x7F))
        {
            return; // No wire form.
        }

        var matcher = MatcherRules.Matcher(rules);

        var lowered = matcher.Match(MatcherRules.Wire(name.ToLowerInvariant()).AsSpan());
        var asGiven = matcher.Match(MatcherRules.Wire(name).AsSpan());

        Assert.Equal(expected, lowered.Outcome);
        Assert.Equal(matcher.Match(name.AsSpan()), lowered);
        Assert.Equal(lowered, asGiven);
    }
}
