namespace Palisade.Server.Tests.Blocklists.Sources;

/// <summary>What the scripted server was asked.</summary>
internal sealed record RecordedRequest(string Path, string? IfNoneMatch, string? IfModifiedSince, string? UserAgent);
