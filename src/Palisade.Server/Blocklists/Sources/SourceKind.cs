namespace Palisade.Server.Blocklists.Sources;

/// <summary>How a <see cref="BlocklistSource.Location"/> is read.</summary>
internal enum SourceKind
{
    /// <summary>An <c>http://</c> or <c>https://</c> URL: downloaded into the cache.</summary>
    Remote,

    /// <summary>A local file path (or <c>file://</c> URL): read in place.</summary>
    Local,

    /// <summary>A URL of another scheme.</summary>
    Unsupported,
}
