using System.Diagnostics;

namespace Palisade.Tests.Interop;

/// <summary>
/// A directory bind-mounted read-only over itself: every write fails with EROFS, root's included (a chmod does not stop
/// root, and CI runs the tests as root). Needs root on Linux (see <see cref="ReadOnlyMountFactAttribute"/>). Disposing
/// unmounts it, leaving the directory writable again.
/// </summary>
internal sealed class ReadOnlyBindMount : IDisposable
{
    private ReadOnlyBindMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Why a read-only bind mount cannot be made here, or null when it can.</summary>
    public static string? Unavailable { get; } = Probe();

    public static ReadOnlyBindMount Over(string path)
    {
        Check(Run("mount", "--bind", path, path), "--bind");
        var mount = new ReadOnlyBindMount(path);
        try
        {
            Check(Run("mount", "-o", "remount,ro,bind", path), "remount,ro,bind");
            return mount;
        }
        catch
        {
            mount.Dispose();
            throw;
        }
    }

    public void Dispose() => Run("umount", Path);

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "bind mounts need Linux";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "a read-only bind mount needs root (CI runs the tests as root)";
        }

        var directory = Directory.CreateTempSubdirectory("palisade-ro-probe-").FullName;
        try
        {
            using var probe = Over(directory);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "cannot make a read-only bind mount here: " + e.Message;
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    private static void Check((int Code, string Output) result, string what)
    {
        if (result.Code != 0)
        {
            throw new InvalidOperationException($"mount {what} failed ({result.Code}): {result.Output}");
        }
    }

    private static (int Code, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim());
    }
}
