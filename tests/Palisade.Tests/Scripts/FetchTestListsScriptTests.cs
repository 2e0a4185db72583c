using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Palisade.Tests.Interop;
using Palisade.TestSupport;

namespace Palisade.Tests.Scripts;

/// <summary>
/// <c>scripts/fetch-test-lists.sh</c>, run for real against a mirror on 127.0.0.1 (Python's <c>http.server</c>) laid out
/// as the download host is, from the lists the tests already have: it keeps each list whose size and SHA-256 are the
/// pinned ones, refuses one that is not, and downloads nothing it already has. Nothing leaves the machine.
/// </summary>
[Trait("Category", "Interop")]
public sealed partial class FetchTestListsScriptTests : IDisposable
{
    private static readonly string Script = Path.Combine(TestLists.RepositoryRoot, "scripts", "fetch-test-lists.sh");

    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-fetch-lists-").FullName;

    private string Mirror => Path.Combine(_directory, "mirror");

    private string Destination => Path.Combine(_directory, "lists");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [RealListsFact]
    public void Pins_AreTheSizesAndHashesOfTheListsTheTestsRead()
    {
        var pins = Pins();

        Assert.Equal(TestLists.Files.Order(StringComparer.Ordinal), pins.Select(p => p.File).Order(StringComparer.Ordinal));
        foreach (var pin in pins)
        {
            string path = Path.Combine(TestLists.Folder, pin.File);
            Assert.Equal(pin.Size, new FileInfo(path).Length);
            Assert.Equal(pin.Sha256, Sha256Of(path));
        }
    }

    [RealListsFact]
    public async Task Fetch_FromAMirror_KeepsTheGoodLists_RefusesATamperedOne_AndSkipsWhatItHas()
    {
        var pins = Pins();
        foreach (var pin in pins)
        {
            string target = Path.Combine(Mirror, pin.UrlPath);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(TestLists.Folder, pin.File), target);
        }

        // One list on the mirror is not the pinned version (a moved branch, a bad mirror).
        var tampered = pins.Single(p => p.File == "hagezi-adblock-light.txt");
        await File.AppendAllTextAsync(Path.Combine(Mirror, tampered.UrlPath), "||extra.example^\n");

        using (var mirror = await HttpMirror.StartAsync(Mirror))
        {
            var (code, output) = await RunScriptAsync(mirror.BaseUrl);

            Assert.True(code == 1, output);
            Assert.Contains($"{tampered.File} from {mirror.BaseUrl}/{tampered.UrlPath} is not the pinned version", output, StringComparison.Ordinal);
            Assert.Contains($"expected {tampered.Size} octets with SHA-256 {tampered.Sha256}; not kept", output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(Destination, tampered.File)));
            Assert.Empty(Directory.GetFiles(Destination, "*.part"));
            foreach (var pin in pins.Where(p => p != tampered))
            {
                Assert.Equal(pin.Sha256, Sha256Of(Path.Combine(Destination, pin.File)));
            }

            File.Copy(Path.Combine(TestLists.Folder, tampered.File), Path.Combine(Mirror, tampered.UrlPath), overwrite: true);
            (code, output) = await RunScriptAsync(mirror.BaseUrl);

            Assert.True(code == 0, output);
            Assert.Contains("(1 downloaded, the rest already there)", output, StringComparison.Ordinal);
            Assert.Equal(tampered.Sha256, Sha256Of(Path.Combine(Destination, tampered.File)));
        }

        // With every list in place, the mirror is not needed at all.
        var (again, text) = await RunScriptAsync($"http://127.0.0.1:{FreePort.Pick()}");
        Assert.True(again == 0, text);
        Assert.Contains("(0 downloaded, the rest already there)", text, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output)> RunScriptAsync(string baseUrl)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        start.Environment["PALISADE_LISTS_BASE_URL"] = baseUrl;
        start.Environment[TestLists.Variable] = Destination;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>The pins as the script holds them: its <c>lists</c> entries with the repository variables filled in.</summary>
    private static List<Pin> Pins()
    {
        string text = File.ReadAllText(Script);
        var variables = Variable().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        return [.. Entry().Matches(text).Select(m =>
        {
            string expanded = Reference().Replace(m.Groups[1].Value, r => variables[r.Groups[1].Value]);
            string[] fields = expanded.Split(' ');
            return new Pin(fields[0], $"{fields[1]}/{fields[2]}/{fields[3]}", long.Parse(fields[4], System.Globalization.CultureInfo.InvariantCulture), fields[5]);
        })];
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    [GeneratedRegex(@"^(\w+)=""([^""$]+)""$", RegexOptions.Multiline)]
    private static partial Regex Variable();

    [GeneratedRegex(@"^\s+""(\S+\.txt .+ [0-9a-f]{64})""$", RegexOptions.Multiline)]
    private static partial Regex Entry();

    [GeneratedRegex(@"\$(\w+)")]
    private static partial Regex Reference();

    private sealed record Pin(string File, string UrlPath, long Size, string Sha256);

    /// <summary>Python's http.server on 127.0.0.1 serving a folder; stopped when disposed.</summary>
    private sealed class HttpMirror : IDisposable
    {
        private readonly Process _process;

        private HttpMirror(Process process, int port)
        {
            _process = process;
            BaseUrl = $"http://127.0.0.1:{port}";
        }

        public string BaseUrl { get; }

        public static async Task<HttpMirror> StartAsync(string folder)
        {
            int port = FreePort.Pick();
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in new[] { "-m", "http.server", "--bind", "127.0.0.1", "--directory", folder, port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            var mirror = new HttpMirror(Process.Start(start)!, port);
            mirror._process.BeginOutputReadLine();
            mirror._process.BeginErrorReadLine();
            var clock = Stopwatch.StartNew();
            while (true)
            {
                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                    return mirror;
                }
                catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(20) && !mirror._process.HasExited)
                {
                    await Task.Delay(100);
                }
                catch (SocketException)
                {
                    mirror.Dispose();
                    throw;
                }
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5_000);
            }

            _process.Dispose();
        }
    }
}
