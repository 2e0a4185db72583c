using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Palisade.Tests.Interop;

/// <summary>How <see cref="PalisadeServer.StartAsync"/> decides the server is ready.</summary>
public enum PalisadeReadiness
{
    /// <summary>A dig query of <see cref="PalisadeServerOptions.ProbeName"/> gets any reply (any RCODE) on the first listener over UDP. It reaches the upstream.</summary>
    Query,

    /// <summary>The output holds at least one "listening on" line per listener; sends no DNS traffic at all (for fault tests that count upstream queries).</summary>
    ListeningLine,
}

/// <summary>How to run <c>palisade serve</c>.</summary>
public sealed record PalisadeServerOptions
{
    /// <summary>The --upstream values, e.g. <see cref="KnotFixture.UdpUpstream"/> or <see cref="FakeUpstream.UdpUpstream"/>.</summary>
    public IReadOnlyList<string> Upstreams { get; init; } = [];

    /// <summary>The --listen values; empty means one on 127.0.0.1 at a free port.</summary>
    public IReadOnlyList<string> Listen { get; init; } = [];

    /// <summary>When set, written to a temp file passed as --config.</summary>
    public string? ConfigText { get; init; }

    /// <summary>When set, an existing file passed as --config as it is (no safe defaults added): the test writes it whole.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>The process's working directory; by default the server's own temp folder, which holds the written config.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Arguments appended after the ones above.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    public PalisadeReadiness Readiness { get; init; } = PalisadeReadiness.Query;

    /// <summary>The name the <see cref="PalisadeReadiness.Query"/> probe asks (type SOA).</summary>
    public string ProbeName { get; init; } = KnotFixture.ZoneName;

    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Environment variables for the process, e.g. <c>SSL_CERT_FILE</c> naming a test CA as the trust store.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A running <c>dotnet palisade.dll serve</c>, started by <see cref="StartAsync"/> and returned once ready; it collects stdout
/// and stderr for assertions. <see cref="StopAsync"/> sends SIGTERM (or another signal), waits up to 10 s, then kills it and
/// returns the exit code. Disposing stops it if still running and removes its temp folder.
/// </summary>
public sealed class PalisadeServer : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();
    private readonly StringBuilder _standardError = new();
    private int? _exitCode;

    private PalisadeServer(Process process, string directory, IReadOnlyList<IPEndPoint> listeners, IReadOnlyList<string> arguments)
    {
        _process = process;
        _directory = directory;
        Listeners = listeners;
        Arguments = arguments;
    }

    /// <summary>The endpoints given as --listen, in order.</summary>
    public IReadOnlyList<IPEndPoint> Listeners { get; }

    /// <summary>The first listener's port.</summary>
    public int Port => Listeners[0].Port;

    /// <summary>The arguments after palisade.dll, for failure messages.</summary>
    public IReadOnlyList<string> Arguments { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>True when <see cref="StopAsync"/> had to kill the process after the grace period.</summary>
    public bool WasKilled { get; private set; }

    /// <summary>stdout and stderr interleaved as received, one line per line.</summary>
    public string Output => Read(_output);

    public string StandardOutput => Read(_standardOutput);

    public string StandardError => Read(_standardError);

    /// <summary>Starts palisade serve and waits (bounded by <see cref="PalisadeServerOptions.ReadyTimeout"/>) until it is ready.</summary>
    public static async Task<PalisadeServer> StartAsync(PalisadeServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Listen.Count > 0)
        {
            return await StartOnceAsync(options, cancellationToken);
        }

        // A port picked here is free only at the moment of asking: the ephemeral range it comes from is also where every
        // process's outgoing sockets get theirs (the other tests' upstream queries among them), so now and then one is
        // taken before palisade binds it. That is the fixture's race, not a failure of the server: pick another.
        for (int attempt = 1; ; attempt++)
        {
            var picked = options with { Listen = [string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{FreePort.Pick()}")] };
            try
            {
                return await StartOnceAsync(picked, cancellationToken);
            }
            catch (InvalidOperationException exception) when (attempt < 3 && exception.Message.Contains("the address is already in use", StringComparison.Ordinal))
            {
            }
        }
    }

    private static async Task<PalisadeServer> StartOnceAsync(PalisadeServerOptions options, CancellationToken cancellationToken)
    {
        string dll = InteropPaths.PalisadeDll;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing; build the solution first", dll);
        }

        string directory = Directory.CreateTempSubdirectory("palisade-serve-").FullName;
        IReadOnlyList<string> listen = options.Listen;
        var arguments = new List<string> { "serve" };
        foreach (string endpoint in listen)
        {
            arguments.Add("--listen");
            arguments.Add(endpoint);
        }

        foreach (string upstream in options.Upstreams)
        {
            arguments.Add("--upstream");
            arguments.Add(upstream);
        }

        string config = options.ConfigFile ?? Path.Combine(directory, "palisade.yaml");
        if (options.ConfigFile is null)
        {
            await File.WriteAllTextAsync(config, WithSafeDefaults(options.ConfigText, directory), cancellationToken);
        }

        arguments.Add("--config");
        arguments.Add(config);

        arguments.AddRange(options.ExtraArguments);

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? directory,
        };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in options.Environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var server = new PalisadeServer(process, directory, [.. listen.Select(IPEndPoint.Parse)], arguments);
        process.OutputDataReceived += (_, e) => server.Append(server._standardOutput, e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(server._standardError, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(options, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The configuration file passed as --config.</summary>
    public string ConfigPath => Path.Combine(_directory, "palisade.yaml");

    /// <summary>
    /// Replaces the configuration file with <paramref name="configText"/> (with the same safe defaults as at start: no
    /// blocklists unless configured, the test's own data directory); the server reads it on SIGHUP.
    /// </summary>
    public Task RewriteConfigAsync(string configText) => File.WriteAllTextAsync(ConfigPath, WithSafeDefaults(configText, _directory));

    /// <summary>
    /// Sends SIGHUP and waits (at most <paramref name="timeout"/>, 10 s by default) until the output printed after it holds
    /// <paramref name="expected"/>; returns that output.
    /// </summary>
    public async Task<string> ReloadAsync(string expected, TimeSpan? timeout = null)
    {
        int before = Output.Length;
        Posix.Signal(_process.Id, Posix.SigHup);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(10)))
        {
            string after = Output[before..];
            if (after.Contains(expected, StringComparison.Ordinal))
            {
                return after;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no '{expected}' in the output after SIGHUP.\n{Describe()}");
    }

    /// <summary>A client of <paramref name="tool"/> pointed at listener <paramref name="listener"/>.</summary>
    public DigClient Client(DigTool tool = DigTool.Dig, int listener = 0) => new(tool, Listeners[listener].Address, Listeners[listener].Port);

    /// <summary>
    /// Sends <paramref name="signal"/> (SIGTERM by default), waits up to 10 s for the process to exit, kills it if it has not,
    /// and returns the exit code. Calling it again returns the same code.
    /// </summary>
    public async Task<int> StopAsync(int signal = Posix.SigTerm)
    {
        if (_exitCode is int known)
        {
            return known;
        }

        if (!_process.HasExited)
        {
            try
            {
                Posix.Signal(_process.Id, signal);
                using var bound = new CancellationTokenSource(StopTimeout);
                await _process.WaitForExitAsync(bound.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
            {
                if (!_process.HasExited)
                {
                    WasKilled = true;
                    _process.Kill(entireProcessTree: true);
                }

                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        // The parameterless wait drains the output readers.
        _process.WaitForExit();
        _exitCode = _process.ExitCode;
        return _exitCode.Value;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; harmless.
        }
    }

    /// <summary>A description for failure messages: the command line and everything printed so far.</summary>
    public string Describe() => $"palisade {string.Join(' ', Arguments)}\n--- output ---\n{Output}";

    private async Task WaitUntilReadyAsync(PalisadeServerOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        DigClient? probe = options.Readiness == PalisadeReadiness.Query ? Client(DigTool.Dig) : null;
        while (clock.Elapsed < options.ReadyTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException($"palisade serve exited with code {_process.ExitCode} before it was ready.\n{Describe()}");
            }

            if (probe is null)
            {
                if (CountOccurrences(Output, "listening on") >= Listeners.Count)
                {
                    return;
                }

                await Task.Delay(50, cancellationToken);
            }
            else
            {
                var query = new DigQuery(options.ProbeName, "SOA") { Timeout = TimeSpan.FromSeconds(1) };
                if (await probe.TryQueryAsync(query, cancellationToken) is not null)
                {
                    return;
                }

                await Task.Delay(100, cancellationToken);
            }
        }

        throw new TimeoutException($"palisade serve was not ready ({options.Readiness}) within {options.ReadyTimeout.TotalSeconds} s.\n{Describe()}");
    }

    /// <summary>
    /// Never the defaults: those name public blocklist URLs, and no test may send anything off this machine. Unless a test
    /// configures blocking itself, it is off, and the data directory is the test's own.
    /// </summary>
    private static string WithSafeDefaults(string? configText, string directory)
    {
        configText ??= string.Empty;
        if (!configText.Contains("blocking:", StringComparison.Ordinal))
        {
            configText += "\nblocking:\n  lists: []\n";
        }

        if (!configText.Contains("dataDir:", StringComparison.Ordinal))
        {
            configText += $"\ndataDir: \"{Path.Combine(directory, "data")}\"\n";
        }

        return configText;
    }

    private static int CountOccurrences(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.OrdinalIgnoreCase))
        {
            count++;
        }

        return count;
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            buffer.Append(line).Append('\n');
            _output.Append(line).Append('\n');
        }
    }

    private string Read(StringBuilder buffer)
    {
        lock (_output)
        {
            return buffer.ToString();
        }
    }
}
