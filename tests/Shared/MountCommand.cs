using System.Diagnostics;

namespace Palisade.TestSupport;

/// <summary>
/// Runs <c>mount</c> and <c>umount</c> for the tests that need a file system which refuses writes (a tmpfs that fills up,
/// a read-only mount), with a time bound. One file, linked into each test project that mounts.
/// </summary>
internal static class MountCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs <c>mount</c> with <paramref name="arguments"/>; throws with its output when it fails.</summary>
    public static void Mount(params string[] arguments)
    {
        var (code, output) = Run("mount", arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"mount {string.Join(' ', arguments)} failed ({code}): {output}");
        }
    }

    /// <summary>Unmounts <paramref name="path"/>; a failure is ignored (the test is being torn down).</summary>
    public static void Unmount(string path) => Run("umount", [path]);

    private static (int Code, string Output) Run(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{tool} did not finish within {Timeout.TotalSeconds} s");
        }

        return (process.ExitCode, (output.Result + error.Result).Trim());
    }
}
