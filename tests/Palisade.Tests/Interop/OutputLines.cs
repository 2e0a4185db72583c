using System.Diagnostics;

namespace Palisade.Tests.Interop;

/// <summary>Waiting, within a bound, for a line that the console logger writes from its own queue.</summary>
public static class OutputLines
{
    /// <summary>Whether <paramref name="output"/> comes to hold <paramref name="expected"/> within 10 s.</summary>
    public static async Task<bool> AppearsAsync(Func<string> output, string expected)
    {
        var clock = Stopwatch.StartNew();
        while (!output().Contains(expected, StringComparison.Ordinal))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }
}
