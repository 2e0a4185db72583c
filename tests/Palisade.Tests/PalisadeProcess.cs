using System.Diagnostics;

namespace Palisade.Tests;

/// <summary>Runs the real <c>palisade</c> program (the built palisade.dll under the dotnet host) and collects what it prints.</summary>
internal static class PalisadeProcess
{
    public static ProcessResult Run(params string[] arguments) => RunWithInput(null, arguments);

    public static ProcessResult RunWithInput(string? standardInput, params string[] arguments) => RunIn(null, standardInput, arguments);

    /// <summary>Runs it in <paramref name="workingDirectory"/> (this process's own when null).</summary>
    public static ProcessResult RunIn(string? workingDirectory, string? standardInput, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "palisade.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"palisade {string.Join(' ', arguments)} did not exit within 30 s");
        }

        return new ProcessResult(process.ExitCode, output.Result, error.Result);
    }
}

internal sealed record ProcessResult(int ExitCode, string Output, string Error);
