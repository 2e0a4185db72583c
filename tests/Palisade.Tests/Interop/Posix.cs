using System.Runtime.InteropServices;

namespace Palisade.Tests.Interop;

/// <summary>Sends POSIX signals, which <see cref="System.Diagnostics.Process.Kill()"/> cannot (it only sends SIGKILL).</summary>
public static class Posix
{
    /// <summary>SIGINT, as Ctrl+C sends.</summary>
    public const int SigInt = 2;

    /// <summary>SIGTERM, as service managers send.</summary>
    public const int SigTerm = 15;

    /// <summary>SIGHUP: reload (for Palisade, read the configuration file again and fetch the blocklists again).</summary>
    public const int SigHup = 1;

    /// <summary>Ends the process at once, with no chance to clean up.</summary>
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="processId"/>; throws when the kernel refuses.</summary>
    public static void Signal(int processId, int signal)
    {
        if (NativeMethods.Kill(processId, signal) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException($"kill({processId}, {signal}) failed with errno {errno}");
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Kill(int pid, int sig);
    }
}
