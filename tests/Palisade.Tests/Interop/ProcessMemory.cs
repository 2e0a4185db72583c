using System.Globalization;

namespace Palisade.Tests.Interop;

/// <summary>A process's memory as Linux reports it in /proc/PID/status.</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS: resident memory now, in bytes.</summary>
    public static long Resident(int processId) => Read(processId, "VmRSS:");

    /// <summary>VmHWM: the most resident memory the process has had, in bytes (the kernel's own high-water mark).</summary>
    public static long PeakResident(int processId) => Read(processId, "VmHWM:");

    /// <summary>Samples <see cref="Resident"/> every 50 ms until <paramref name="stop"/>; returns the largest seen.</summary>
    public static async Task<long> SamplePeakAsync(int processId, CancellationToken stop)
    {
        long peak = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                peak = Math.Max(peak, Resident(processId));
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (IOException)
            {
                // The process has exited; the caller sees that.
                break;
            }
        }

        return peak;
    }

    private static long Read(int processId, string field)
    {
        foreach (string line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                // "VmRSS:     123456 kB"
                string kilobytes = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{processId}/status has no {field}");
    }
}
