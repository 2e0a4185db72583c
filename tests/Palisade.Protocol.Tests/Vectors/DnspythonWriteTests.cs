using System.Diagnostics;
using System.Text.Json;

namespace Palisade.Protocol.Tests.Vectors;

/// <summary>
/// The reverse judgement: every vector, read by us and written again by our writer (names compressed our way),
/// must be read by dnspython (<c>dnspython_check.py</c>) to the same message it wrote in the first place.
/// </summary>
public sealed class DnspythonWriteTests
{
    /// <summary>Debian's interpreter, which has python3-dnspython; the README's test command installs it.</summary>
    private const string Python = "/usr/bin/python3";

    [Fact]
    public void Write_EveryVector_DnspythonReadsTheSameMessage()
    {
        // Names that differ only in case may share a compression pointer (dnspython's writer does the same), so
        // vectors whose owners' case differs from the question's are compared without regard to case.
        var vectors = VectorFile.Instance.Vectors;
        var exact = vectors.Where(v => !v.Name.Contains("mixed-case", StringComparison.Ordinal)).ToList();
        var caseless = vectors.Except(exact).ToList();
        Assert.NotEmpty(caseless);

        var failures = Check(exact, ignoreCase: false).Concat(Check(caseless, ignoreCase: true)).ToList();
        Assert.True(failures.Count == 0, "dnspython read our output differently:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Check_AlteredWire_IsReportedAsDifferent()
    {
        // The judge must be able to say no: flip the last octet of an A record's address.
        var vector = VectorFile.Instance["response-a-multi"];
        byte[] wire = DnsMessage.Parse(vector.WireBytes).ToArray();
        wire[^1] ^= 0x01;
        var results = RunChecker([(vector.Name, wire)], ignoreCase: false);
        Assert.False(results.Single().Ok);
    }

    private static IEnumerable<string> Check(List<MessageVector> vectors, bool ignoreCase)
    {
        var inputs = vectors.Select(v => (v.Name, DnsMessage.Parse(v.WireBytes).ToArray())).ToList();
        var results = RunChecker(inputs, ignoreCase);
        Assert.Equal(inputs.Count, results.Count);
        return results.Where(r => !r.Ok).Select(r => $"{r.Name}: {r.Diff}");
    }

    private static List<CheckResult> RunChecker(IEnumerable<(string Name, byte[] Wire)> inputs, bool ignoreCase)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: run the README's test command, which installs python3-dnspython.");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(VectorFile.Directory, "dnspython_check.py"));
        if (ignoreCase)
        {
            start.ArgumentList.Add("--ignore-case");
        }

        using var process = Process.Start(start)!;
        foreach (var (name, wire) in inputs)
        {
            process.StandardInput.WriteLine(JsonSerializer.Serialize(new { name, wire = Convert.ToHexStringLower(wire) }));
        }

        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "dnspython_check.py did not finish within a minute");
        Assert.True(process.ExitCode == 0, $"dnspython_check.py failed ({process.ExitCode}); is python3-dnspython installed?\n{error}");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonSerializer.Deserialize<CheckResult>(line, JsonOptions)!)];
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private sealed record CheckResult(string Name, bool Ok, string Diff);
}
