using System.Text.Json.Serialization;

namespace Palisade.Server.Blocklists.Sources;

/// <summary>What is stored beside a downloaded list (as JSON): where it came from, its validators, and what it held.</summary>
/// <param name="Url">The source URL, as configured.</param>
/// <param name="ETag">The response's <c>ETag</c>, sent back as <c>If-None-Match</c>.</param>
/// <param name="LastModified">The response's <c>Last-Modified</c>, sent back as <c>If-Modified-Since</c>.</param>
/// <param name="FetchedAt">When the copy was last confirmed current (downloaded, or answered 304), UTC.</param>
/// <param name="Bytes">The copy's size.</param>
/// <param name="Rules">The copy's rules (domain and regex) when it was validated.</param>
/// <param name="Sha256">The copy's SHA-256, lower-case hex.</param>
internal sealed record CachedListMetadata(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("etag")] string? ETag,
    [property: JsonPropertyName("lastModified")] DateTimeOffset? LastModified,
    [property: JsonPropertyName("fetchedAt")] DateTimeOffset FetchedAt,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("rules")] int Rules,
    [property: JsonPropertyName("sha256")] string Sha256);
