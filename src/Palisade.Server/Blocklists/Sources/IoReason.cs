using System.Runtime.InteropServices;

namespace Palisade.Server.Blocklists.Sources;

/// <summary>
/// The operating system's reason for a failed file operation, as a user would look it up: the C library's text and
/// the errno name, e.g. <c>No such file or directory (ENOENT)</c>, rather than .NET's sentence around the path.
/// </summary>
public static class IoReason
{
    // The Linux errno values .NET puts in an IOException's HResult, for the names a user searches for.
    private static readonly Dictionary<int, string> Names = new()
    {
        [1] = "EPERM",
        [2] = "ENOENT",
        [5] = "EIO",
        [13] = "EACCES",
        [20] = "ENOTDIR",
        [21] = "EISDIR",
        [24] = "EMFILE",
        [36] = "ENAMETOOLONG",
        [40] = "ELOOP",
    };

    /// <summary>The reason reading <paramref name="path"/> failed with <paramref name="exception"/>, on one line.</summary>
    public static string Describe(Exception exception, string? path)
    {
        ArgumentNullException.ThrowIfNull(exception);

        // .NET reports opening a directory as "access denied" (EACCES); the user needs to hear that it is a directory.
        return exception is UnauthorizedAccessException && path is not null && Directory.Exists(path)
            ? "is a directory, not a file (EISDIR)"
            : Describe(exception);
    }

    /// <summary>The reason for <paramref name="exception"/>, on one line.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            FileNotFoundException or DirectoryNotFoundException => "No such file or directory (ENOENT)",
            UnauthorizedAccessException => "Permission denied (EACCES)",
            IOException { HResult: > 0 and < 4096 } io => Errno(io.HResult),
            _ => exception.Message.ReplaceLineEndings(" "),
        };
    }

    private static string Errno(int errno) =>
        Names.TryGetValue(errno, out var name)
            ? $"{Marshal.GetPInvokeErrorMessage(errno)} ({name})"
            : $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
