namespace Palisade.Server.Blocklists;

/// <summary>A list that could not be read when a set was built, and so is left out of it.</summary>
/// <param name="Name">The list's name.</param>
/// <param name="Path">The full path of the file that could not be read.</param>
/// <param name="Reason">The operating system's reason, e.g. <c>No such file or directory (ENOENT)</c>.</param>
public sealed record UnreadableList(string Name, string Path, string Reason);
