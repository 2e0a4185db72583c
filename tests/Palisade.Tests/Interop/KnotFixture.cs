using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Palisade.Tests.Interop;

/// <summary>
/// A real Knot DNS (knotd) serving <c>example.test.</c> from Zones/example.test.zone on 127.0.0.1 at a free high port, over UDP
/// and TCP, authoritative and without DNSSEC. Everything it writes (config, rundir, storage, control socket) lives in a temp
/// folder removed on dispose. Use it as an xunit class or collection fixture, or start one yourself with
/// <see cref="StartAsync"/>. When knotd is not installed, starting fails with a message saying to run scripts/test.sh.
/// </summary>
public sealed class KnotFixture : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>The zone Knot serves.</summary>
    public const string ZoneName = "example.test.";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly StringBuilder _log = new();
    private Process? _process;
    private string? _directory;

    /// <summary>The UDP and TCP port Knot listens on at 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>127.0.0.1:<see cref="Port"/>.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The <c>--upstream</c> value that points palisade at this Knot over UDP.</summary>
    public string UdpUpstream => $"udp://127.0.0.1:{Port}";

    /// <summary>What knotd has written to stdout and stderr so far (it logs warnings and errors only).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts a Knot and returns it once it answers the zone's SOA (within 10 s).</summary>
    public static async Task<KnotFixture> StartAsync()
    {
        var knot = new KnotFixture();
        try
        {
            await knot.InitializeAsync();
            return knot;
        }
        catch
        {
            await knot.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of <paramref name="tool"/> pointed at this Knot.</summary>
    public DigClient Client(DigTool tool = DigTool.Dig) => new(tool, IPAddress.Loopback, Port);

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        string knotd = ExternalTool.Require("knotd", "knot");
        _directory = Directory.CreateTempSubdirectory("palisade-knot-").FullName;
        string zoneFile = Path.Combine(_directory, "example.test.zone");
        File.Copy(InteropPaths.ZoneFile("example.test.zone"), zoneFile);
        Port = FreePort.Pick();
        string config = Path.Combine(_directory, "knot.conf");
        await File.WriteAllTextAsync(config, Configuration(_directory, Port, zoneFile));

        var start = new ProcessStartInfo(knotd)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };

        // Foreground (no -d), textual config, control socket in the temp folder rather than /run/knot.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        start.ArgumentList.Add("-s");
        start.ArgumentList.Add(Path.Combine(_directory, "knot.sock"));
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => AppendLog(e.Data);
        _process.ErrorDataReceived += (_, e) => AppendLog(e.Data);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var client = Client(DigTool.Kdig);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"knotd exited with code {_process.ExitCode} before answering; its log:\n{Log}\nconfig:\n{await File.ReadAllTextAsync(config)}");
            }

            DigAnswer? answer = await client.TryQueryAsync(new DigQuery(ZoneName, "SOA") { Timeout = TimeSpan.FromSeconds(1) });
            if (answer is { Status: "NOERROR" } && answer.Answer.Any(r => r.Type == "SOA"))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"knotd did not answer {ZoneName} SOA on 127.0.0.1:{Port} within {ReadyTimeout.TotalSeconds} s; its log:\n{Log}");
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await StopProcessAsync(_process);
            _process.Dispose();
            _process = null;
        }

        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Left behind in the temp folder; harmless.
            }

            _directory = null;
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    private static async Task StopProcessAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        try
        {
            Posix.Signal(process.Id, Posix.SigTerm);
            using var bound = new CancellationTokenSource(StopTimeout);
            await process.WaitForExitAsync(bound.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static string Configuration(string directory, int port, string zoneFile) => string.Create(
        CultureInfo.InvariantCulture,
        $"""
        # Generated by KnotFixture for one test run.
        server:
            rundir: "{directory}"
            listen: 127.0.0.1@{port}
            udp-workers: 1
            tcp-workers: 1
            background-workers: 1

        control:
            listen: "{Path.Combine(directory, "knot.sock")}"

        log:
          - target: stderr
            any: warning

        database:
            storage: "{directory}"

        template:
          - id: default
            storage: "{directory}"
            # Serve the file as written; never write it back, keep no journal, sign nothing.
            zonefile-load: whole
            zonefile-sync: -1
            journal-content: none
            dnssec-signing: off

        zone:
          - domain: {ZoneName}
            file: "{zoneFile}"

        """);

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Append(line).Append('\n');
        }
    }
}
