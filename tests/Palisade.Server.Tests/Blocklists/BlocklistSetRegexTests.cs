using Palisade.Server.Blocklists;
using Palisade.Server.Blocklists.Matching;

namespace Palisade.Server.Tests.Blocklists;

/// <summary>Regex rules in a built set, asked the way the blocking handler asks (wire form) and the way `check` asks (text).</summary>
public sealed class BlocklistSetRegexTests
{
    /// <summary>
    /// Found by fuzzing (fuzz/regressions/hosts/regex-after-bom-line.txt): a fresh regex's first match outlasted its
    /// 5 ms timeout while building its automaton, so the first name asked about was not blocked.
    /// </summary>
    [Fact]
    public void IsBlocked_FirstLookupOfAFreshRegex_Matches()
    {
        for (int i = 0; i < 20; i++)
        {
            var set = BlocklistSetBuilder.Build([new BlocklistInput("list", "list", null, ["/ple/"], false, false)]);
            byte[] wire = new byte[DomainWire.MaxLength + 1];
            int length = DomainWire.FromText("example.com", wire);
            wire[length] = 0;

            Assert.True(set.IsBlocked(wire.AsSpan(0, length + 1)));
            Assert.Equal(MatchOutcome.Blocked, set.Decide("example.com", out _, out _));
        }
    }
}
