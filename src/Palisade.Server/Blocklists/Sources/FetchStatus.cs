namespace Palisade.Server.Blocklists.Sources;

/// <summary>What a fetch did.</summary>
public enum FetchStatus
{
    /// <summary>A new copy was downloaded, validated and stored.</summary>
    Downloaded,

    /// <summary>The server answered 304 Not Modified: the stored copy stands (its fetch time is renewed).</summary>
    NotModified,

    /// <summary>The stored copy is younger than the refresh interval: no request was made.</summary>
    UpToDate,

    /// <summary>The source is a local file, read in place.</summary>
    LocalFile,

    /// <summary>The fetch failed; the last good copy (if any) is untouched and still named by the result.</summary>
    Failed,
}
