using System.Diagnostics;
using System.Text;

namespace Palisade.Tests.Interop;

/// <summary>Finds the non-.NET programs the interop tests drive (knotd, dig, kdig) and runs them with a time bound.</summary>
public static class ExternalTool
{
    /// <summary>
    /// The full path of <paramref name="program"/> on PATH (or in /usr/sbin, /sbin), or an exception telling the reader to run
    /// scripts/test.sh, which installs <paramref name="debianPackage"/>. Missing tools fail the tests; they never skip them.
    /// </summary>
    public static string Require(string program, string debianPackage)
    {
        string? path = Find(program);
        return path ?? throw new InvalidOperationException(
            $"{program} (Debian package {debianPackage}) is not installed; run scripts/test.sh, which installs what the interop tests need");
    }

    /// <summary>The full path of <paramref name="program"/>, or null.</summary>
    public static string? Find(string program)
    {
        string pathVariable = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        IEnumerable<string> directories = pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin"]);
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs <paramref name="fileName"/> to completion and returns what it printed. The process is killed when it outlives
    /// <paramref name="timeout"/> or <paramref name="cancellationToken"/> fires, and a <see cref="TimeoutException"/> is thrown.
    /// </summary>
    public static async Task<ToolResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var error = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout.TotalSeconds} s");
        }

        // The parameterless wait drains the asynchronous output readers.
        process.WaitForExit();
        return new ToolResult(process.ExitCode, Read(output), Read(error));
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.Append(line).Append('\n');
        }
    }

    private static string Read(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}

/// <summary>How an external program ended and what it printed.</summary>
public sealed record ToolResult(int ExitCode, string Output, string Error);
