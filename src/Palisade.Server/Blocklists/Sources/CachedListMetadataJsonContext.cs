using System.Text.Json.Serialization;

namespace Palisade.Server.Blocklists.Sources;

/// <summary>Source-generated JSON for <see cref="CachedListMetadata"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(CachedListMetadata))]
internal sealed partial class CachedListMetadataJsonContext : JsonSerializerContext;
