namespace Palisade.Server.Tests.Blocklists.Sources;

/// <summary>A fact that needs <see cref="TmpfsMount"/>; skipped, with the reason, where a tmpfs cannot be mounted.</summary>
internal sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (TmpfsMount.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
