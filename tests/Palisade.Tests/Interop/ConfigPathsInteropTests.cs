namespace Palisade.Tests.Interop;

/// <summary>
/// Issue 13 point 2, through the real program: relative paths in the config file are relative to the file's folder,
/// whatever folder <c>palisade</c> is started from, for <c>serve</c>, a SIGHUP reload, <c>check</c> and <c>lists update</c>.
/// Everything is on loopback: a fake upstream and a list server on 127.0.0.1.
/// </summary>
public sealed class ConfigPathsInteropTests : IDisposable
{
    private readonly string _configDirectory = Directory.CreateTempSubdirectory("palisade-config-dir-").FullName;
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("palisade-elsewhere-").FullName;
    private readonly ListServer _remote = new() { Body = "||remote.test^\n" };

    public void Dispose()
    {
        _remote.Dispose();
        Directory.Delete(_configDirectory, recursive: true);
        Directory.Delete(_workingDirectory, recursive: true);
    }

    [Fact]
    public async Task Serve_FromAnotherWorkingDirectory_ReadsListsAndKeepsDataBesideTheConfig()
    {
        await using var upstream = new FakeUpstream();
        string config = WriteConfig(upstream, "lists/ads.txt");

        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            ConfigFile = config,
            WorkingDirectory = _workingDirectory,
        });
        var client = server.Client();

        Assert.Equal(["0.0.0.0"], await AddressesAsync(client, "ads.test."));
        Assert.Equal("NOERROR", (await client.QueryAsync("clean.test.", "A")).Status);
        // The remote list is downloaded in the background into dataDir: once it blocks, its copy is on disk.
        await WaitForBlockedAsync(client, "remote.test.", server);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_configDirectory, "data", "lists")));
        Assert.False(Directory.Exists(Path.Combine(_workingDirectory, "data")), server.Describe());
        Assert.DoesNotContain("could not be read", server.Output, StringComparison.Ordinal);

        // A reload reads the same folder: a second relative list takes effect.
        File.WriteAllText(Path.Combine(_configDirectory, "lists", "more.txt"), "||more.test^\n");
        WriteConfig(upstream, "lists/ads.txt", "./lists/more.txt");
        await server.ReloadAsync("Configuration reloaded");

        // The new set is built in the background after the reload line, as at start.
        await WaitForBlockedAsync(client, "more.test.", server);
        Assert.Equal(["0.0.0.0"], await AddressesAsync(client, "ads.test."));
    }

    [Fact]
    public async Task CheckAndListsUpdate_FromAnotherWorkingDirectory_SeeTheListsBesideTheConfig()
    {
        await using var upstream = new FakeUpstream();
        string config = WriteConfig(upstream, "lists/ads.txt");

        var update = PalisadeProcess.RunIn(_workingDirectory, null, "lists", "update", "--config", config);
        Assert.True(update.ExitCode == 0, update.Output + update.Error);
        Assert.True(Directory.Exists(Path.Combine(_configDirectory, "data", "lists")), update.Output);
        Assert.False(Directory.Exists(Path.Combine(_workingDirectory, "data")));

        var local = PalisadeProcess.RunIn(_workingDirectory, null, "check", "www.ads.test", "--config", config);
        Assert.True(local.ExitCode == 1, local.Output + local.Error);
        Assert.Contains(Path.Combine(_configDirectory, "lists", "ads.txt"), local.Output, StringComparison.Ordinal);

        var remote = PalisadeProcess.RunIn(_workingDirectory, null, "check", "remote.test", "--config", config);
        Assert.True(remote.ExitCode == 1, remote.Output + remote.Error);
    }

    /// <summary>Writes lists/ads.txt and p.yml into the config folder, with the given list paths as written by a user.</summary>
    private string WriteConfig(FakeUpstream upstream, params string[] lists)
    {
        Directory.CreateDirectory(Path.Combine(_configDirectory, "lists"));
        File.WriteAllText(Path.Combine(_configDirectory, "lists", "ads.txt"), "||ads.test^\n");
        string path = Path.Combine(_configDirectory, "p.yml");
        var sources = lists.Select(l => $"\"{l}\"").Append($"\"{_remote.Url}\"");
        File.WriteAllText(path, $"""
            upstreams: ["{upstream.UdpUpstream}"]
            dataDir: ./data
            blocking:
              lists: [{string.Join(", ", sources)}]
            """);
        return path;
    }

    private static async Task WaitForBlockedAsync(DigClient client, string name, PalisadeServer server)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!(await AddressesAsync(client, name)).SequenceEqual(["0.0.0.0"]))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), server.Describe());
            await Task.Delay(50);
        }
    }

    private static async Task<IReadOnlyList<string>> AddressesAsync(DigClient client, string name) =>
        [.. (await client.QueryAsync(name, "A")).Answer.Where(r => r.Type == "A").Select(r => r.Data)];
}
