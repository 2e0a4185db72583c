namespace Palisade.Server.Pipeline;

/// <summary>
/// A part of a pipeline step that has a life of its own (a refresh loop, open connections), told when it comes into
/// force, when a reload keeps it, when a reload replaces it, and when nothing uses it any more. A part without such a
/// life (the cache, the rate table) needs none of this: it is simply dropped when no generation holds it.
/// </summary>
internal interface IPipelinePart
{
    /// <summary>It serves from now on (first start, or a reload that made it).</summary>
    void Start()
    {
    }

    /// <summary>A reload kept it: its settings did not change (the blocklists download again, as SIGHUP always did).</summary>
    void Kept()
    {
    }

    /// <summary>A reload replaced it: stop background work; queries still inside the old generation may still read it.</summary>
    Task StopAsync() => Task.CompletedTask;

    /// <summary>
    /// No generation uses it any more: release it, once its own background work has ended (unless
    /// <paramref name="stopping"/> has: the server is being disposed, and nothing waits).
    /// </summary>
    Task ReleaseAsync(CancellationToken stopping);
}
