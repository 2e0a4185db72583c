namespace Palisade.Tests.Interop;

/// <summary>
/// Downloaded lists through the real program, from a real HTTP server on 127.0.0.1: a failed or empty download never
/// replaces the last good list, and the output says why; a running server takes a new list on SIGHUP.
/// </summary>
public sealed class ListLifecycleInteropTests(KnotFixture knot) : IClassFixture<KnotFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-lists-").FullName;
    private readonly ListServer _lists = new() { Body = "||ads.http.test^\n||tracker.http.test^\n" };

    public void Dispose()
    {
        _lists.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void ListsUpdate_ThenFailures_LastGoodListStaysInForce()
    {
        string config = WriteConfig();

        var first = PalisadeProcess.Run("lists", "update", "--config", config);
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains("downloaded", first.Output, StringComparison.Ordinal);
        Assert.Equal(1, PalisadeProcess.Run("check", "x.ads.http.test", "--config", config).ExitCode);

        foreach (var (status, body, reason) in new[] { (500, "", "500"), (200, "", "empty"), (200, "# nothing but a comment\n", "no rules") })
        {
            _lists.Status = status;
            _lists.Body = body;
            var failed = PalisadeProcess.Run("lists", "update", "--config", config);
            Assert.Equal(1, failed.ExitCode);
            Assert.Contains("FAILED", failed.Output, StringComparison.Ordinal);
            Assert.Contains(reason, failed.Output, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(_lists.Url, failed.Output, StringComparison.Ordinal);

            var check = PalisadeProcess.Run("check", "x.ads.http.test", "--config", config);
            Assert.True(check.ExitCode == 1, $"after a failed download ({reason}) the last good list must stay in force:\n{check.Output}");
        }
    }

    [Fact]
    public async Task Serve_Sighup_TakesTheNewList()
    {
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [knot.UdpUpstream],
            ConfigText = File.ReadAllText(WriteConfig()),
        });
        var client = server.Client();

        // The first download happens in the background right after start.
        Assert.True(await EventuallyAsync(async () => (await client.QueryAsync("ads.http.test.", "A")).Answer.Any(r => r.Data == "0.0.0.0")), server.Describe());

        _lists.Body = "||host.example.test^\n";
        Posix.Signal(server.ProcessId, Posix.SigHup);

        Assert.True(await EventuallyAsync(async () => (await client.QueryAsync("host.example.test.", "A")).Answer.Any(r => r.Data == "0.0.0.0")), server.Describe());
        Assert.DoesNotContain((await client.QueryAsync("ads.http.test.", "A")).Answer, r => r.Data == "0.0.0.0");
    }

    [Fact]
    public async Task Serve_KilledInTheMiddleOfAListUpdate_RestartLoadsTheLastGoodList()
    {
        string config = File.ReadAllText(WriteConfig());
        var options = new PalisadeServerOptions { Upstreams = [knot.UdpUpstream], ConfigText = config };
        var first = await PalisadeServer.StartAsync(options);
        await using (first)
        {
            var client = first.Client();
            Assert.True(await EventuallyAsync(async () => (await client.QueryAsync("ads.http.test.", "A")).Answer.Any(r => r.Data == "0.0.0.0")), first.Describe());

            // A new, larger list whose download stops halfway; SIGKILL while palisade is reading it.
            _lists.Body = "||host.example.test^\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"||filler{i}.http.test^\n"));
            _lists.StallAfter = _lists.Body.Length / 2;
            Posix.Signal(first.ProcessId, Posix.SigHup);
            await _lists.Stalled.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await first.StopAsync(Posix.SigKill);
        }

        // The list server is gone now: the restarted palisade can only use what it kept.
        _lists.Dispose();
        await using var second = await PalisadeServer.StartAsync(options);
        var again = second.Client();

        Assert.Contains((await again.QueryAsync("ads.http.test.", "A")).Answer, r => r.Data == "0.0.0.0");
        Assert.DoesNotContain((await again.QueryAsync("host.example.test.", "A")).Answer, r => r.Data == "0.0.0.0");
        Assert.DoesNotContain((await again.QueryAsync("filler1.http.test.", "A")).Answer, r => r.Data == "0.0.0.0");
    }

    private string WriteConfig()
    {
        string path = Path.Combine(_directory, "palisade.yml");
        File.WriteAllText(path, $"dataDir: \"{_directory}/data\"\nblocking:\n  lists: [\"{_lists.Url}\"]\n");
        return path;
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 50; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }
}
