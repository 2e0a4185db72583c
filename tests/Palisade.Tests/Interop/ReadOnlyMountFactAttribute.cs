namespace Palisade.Tests.Interop;

/// <summary>A fact that needs <see cref="ReadOnlyBindMount"/>; skipped, with the reason, where one cannot be made.</summary>
internal sealed class ReadOnlyMountFactAttribute : FactAttribute
{
    public ReadOnlyMountFactAttribute()
    {
        if (ReadOnlyBindMount.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
