namespace Palisade.TestSupport;

/// <summary>A fact that reads the real blocklists; skipped, saying which command fetches them, when they are not there.</summary>
internal sealed class RealListsFactAttribute : FactAttribute
{
    public RealListsFactAttribute()
    {
        if (TestLists.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
