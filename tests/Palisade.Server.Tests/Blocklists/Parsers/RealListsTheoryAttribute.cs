using Palisade.TestSupport;

namespace Palisade.Server.Tests.Blocklists.Parsers;

/// <summary>A theory that reads the real blocklists; skipped, saying which command fetches them, when they are not there.</summary>
internal sealed class RealListsTheoryAttribute : TheoryAttribute
{
    public RealListsTheoryAttribute()
    {
        if (TestLists.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
