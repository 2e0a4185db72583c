namespace Palisade.Server.Blocklists.Sources;

/// <summary>The outcome of one <see cref="BlocklistFetcher.FetchAsync(BlocklistSource, TimeSpan, bool, CancellationToken)"/>.</summary>
/// <param name="Status">What the fetch did.</param>
/// <param name="Path">
/// The list to load: the stored copy or the local file. It may be set when <see cref="FetchStatus.Failed"/> (the
/// last good copy stands), and is null when there is nothing to load or the list is held in memory (<see cref="Body"/>).
/// </param>
/// <param name="Error">One line naming the source and why it failed; null unless <see cref="FetchStatus.Failed"/>.</param>
/// <param name="Bytes">The size of the list at <paramref name="Path"/> or in <see cref="Body"/> (0 when there is none).</param>
/// <param name="Rules">The rule count of the list, when known (not for local files).</param>
/// <param name="Duration">How long the fetch took.</param>
public sealed record FetchResult(FetchStatus Status, string? Path, string? Error, long Bytes, int? Rules, TimeSpan Duration)
{
    /// <summary>
    /// The list, when it is held in memory because the cache directory could not be written (read-only, disk full):
    /// it is served from memory and does not survive a restart. Null when the list is a file (<see cref="Path"/>).
    /// </summary>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>There is a list to load (a fresh one, or the last good copy after a failure).</summary>
    public bool HasList => Path is not null || Body is not null;

    /// <summary>The list is held in memory only (see <see cref="Body"/>).</summary>
    public bool InMemory => Body is not null;
}
