using Palisade.Server.Configuration;

namespace Palisade.Server;

/// <summary>What <see cref="PalisadeServer.ReloadAsync"/> did.</summary>
/// <param name="Changed">Every key whose value differs from the configuration in force, as in the file (<c>blocking.deny</c>).</param>
/// <param name="RestartRequired">Those of <paramref name="Changed"/> that were not applied: they take effect at the next restart.</param>
public sealed record ConfigurationReloadResult(IReadOnlyList<string> Changed, IReadOnlyList<string> RestartRequired)
{
    /// <summary>The keys applied now.</summary>
    public IReadOnlyList<string> Applied => [.. Changed.Where(key => !ConfigurationChanges.RestartRequired.Contains(key))];

    /// <summary>
    /// Completes once the replaced pipeline has no query left inside and the parts only it used (upstreams, blocklists)
    /// have been released; already complete when nothing needed replacing.
    /// </summary>
    public Task Retired { get; init; } = Task.CompletedTask;
}
