using Palisade.TestSupport;

namespace Palisade.Server.Tests.Blocklists.Sources;

/// <summary>
/// A small tmpfs mounted on a fresh temporary directory: a real file system that fills up (ENOSPC) or can be remounted
/// read-only (EROFS), which root cannot write past, unlike a chmod. Needs root on Linux (see <see cref="TmpfsFactAttribute"/>).
/// Disposing unmounts it and removes the directory.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Why tmpfs cannot be mounted here (not Linux, not root, no permission), or null when it can.</summary>
    public static string? Unavailable { get; } = Probe();

    public static TmpfsMount Mount(int sizeBytes)
    {
        var path = Directory.CreateTempSubdirectory("palisade-tmpfs-").FullName;
        try
        {
            MountCommand.Mount("-t", "tmpfs", "-o", $"size={sizeBytes},mode=0755", "tmpfs", path);
        }
        catch
        {
            Directory.Delete(path);
            throw;
        }

        return new TmpfsMount(path);
    }

    /// <summary>Remounts it read-only: every write then fails with EROFS, root's included.</summary>
    public void MakeReadOnly() => MountCommand.Mount("-o", "remount,ro", Path);

    /// <summary>Writes a file of zeros until the file system is full.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        using var file = new FileStream(filler, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
            // Full.
        }

        return filler;
    }

    public void Dispose()
    {
        MountCommand.Unmount(Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Still mounted (busy): left in the temp folder.
        }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "tmpfs mounts need Linux";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "mounting a tmpfs needs root (CI runs the tests as root)";
        }

        try
        {
            using var probe = Mount(4096);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "cannot mount a tmpfs here: " + e.Message;
        }
    }
}
