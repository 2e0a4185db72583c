using Palisade.TestSupport;

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
        MountCommand.Mount("--bind", path, path);
        var mount = new ReadOnlyBindMount(path);
        try
        {
            MountCommand.Mount("-o", "remount,ro,bind", path);
            return mount;
        }
        catch
        {
            mount.Dispose();
            throw;
        }
    }

    public void Dispose() => MountCommand.Unmount(Path);

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
}
