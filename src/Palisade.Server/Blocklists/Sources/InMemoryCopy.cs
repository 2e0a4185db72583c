namespace Palisade.Server.Blocklists.Sources;

/// <summary>
/// A validated download that could not be stored (the cache directory is read-only or full): the list is served from
/// it until a later download or refresh stores it on disk. Each is bounded by <see cref="BlocklistFetcherOptions.MaxBytes"/>.
/// </summary>
/// <param name="Metadata">What would have been stored beside it (validators for conditional requests, fetch time, rules).</param>
/// <param name="Body">The list as downloaded.</param>
internal sealed record InMemoryCopy(CachedListMetadata Metadata, ReadOnlyMemory<byte> Body);
