namespace Palisade.Server.Configuration;

/// <summary>One <c>blocking.allow</c> or <c>blocking.deny</c> entry as read: its text and its line in the file (0 where unknown).</summary>
internal readonly record struct InlineRule(string Text, int Line);
