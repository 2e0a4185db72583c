namespace Palisade.Tests.Interop;

/// <summary>
/// A data directory that cannot be written, through the real program: <c>palisade serve</c> starts, says once and
/// clearly that downloaded lists are served from memory, and blocks from the list it downloaded from a real HTTP
/// server on 127.0.0.1, while other names are answered by Knot.
/// </summary>
public sealed class DataDirFaultInteropTests(KnotFixture knot) : IClassFixture<KnotFixture>, IDisposable
{
    private const string Warning = "downloaded lists are served from memory and will not survive a restart";

    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-datadir-").FullName;
    private readonly ListServer _lists = new() { Body = "||ads.example.test^\n0.0.0.0 tracker.example.test\n" };

    public void Dispose()
    {
        _lists.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Serve_DataDirUnderARegularFile_WarnsOnceAndBlocksFromMemory()
    {
        string regularFile = Path.Combine(_directory, "data");
        await File.WriteAllTextAsync(regularFile, "a file where the data directory should be");
        string dataDir = Path.Combine(regularFile, "palisade");
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [knot.UdpUpstream],
            ConfigText = $"dataDir: \"{dataDir}\"\nblocking:\n  lists: [\"{_lists.Url}\"]\n",
        });
        var client = server.Client();

        // The first download happens in the background right after start.
        Assert.True(await EventuallyAsync(async () => (await client.QueryAsync("ads.example.test.", "A")).Answer.Any(r => r.Data == "0.0.0.0")), server.Describe());
        Assert.Equal("0.0.0.0", Assert.Single((await client.QueryAsync("x.ads.example.test.", "A")).Answer).Data);
        Assert.Equal("0.0.0.0", Assert.Single((await client.QueryAsync("tracker.example.test.", "A")).Answer).Data);
        var apex = await client.QueryAsync("example.test.", "A");
        Assert.Equal("NOERROR", apex.Status);
        Assert.Equal("192.0.2.1", Assert.Single(apex.Answer).Data);

        string warning = Assert.Single(server.Output.Split('\n'), line => line.Contains(Warning, StringComparison.Ordinal));
        Assert.Contains(Path.Combine(dataDir, "lists"), warning, StringComparison.Ordinal);
        Assert.Contains("cannot create it", warning, StringComparison.Ordinal);

        // A refresh downloads into memory again: still blocking, and the warning is not repeated.
        _lists.Body = "||ads.example.test^\n||new.example.test^\n";
        Posix.Signal(server.ProcessId, Posix.SigHup);
        Assert.True(await EventuallyAsync(async () => (await client.QueryAsync("new.example.test.", "A")).Answer.Any(r => r.Data == "0.0.0.0")), server.Describe());
        Assert.Equal("0.0.0.0", Assert.Single((await client.QueryAsync("ads.example.test.", "A")).Answer).Data);
        Assert.Equal(2, _lists.Requests);
        Assert.Single(server.Output.Split('\n'), line => line.Contains(Warning, StringComparison.Ordinal));
        Assert.False(server.HasExited);
    }

    [ReadOnlyMountFact]
    public async Task Serve_DataDirReadOnly_LoadsTheStoredListAndAppliesANewOneFromMemory()
    {
        string dataDir = Path.Combine(_directory, "data");
        string config = $"dataDir: \"{dataDir}\"\nblocking:\n  lists: [\"{_lists.Url}\"]\n";
        string configFile = Path.Combine(_directory, "palisade.yml");
        await File.WriteAllTextAsync(configFile, config);
        var update = PalisadeProcess.Run("lists", "update", "--config", configFile);
        Assert.True(update.ExitCode == 0, update.Output + update.Error);
        string stored = Assert.Single(Directory.GetFiles(Path.Combine(dataDir, "lists"), "*.txt"));
        byte[] before = await File.ReadAllBytesAsync(stored);

        using var readOnly = ReadOnlyBindMount.Over(dataDir);
        _lists.Status = 500;
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions { Upstreams = [knot.UdpUpstream], ConfigText = config });
        var client = server.Client();

        // The stored list is read from the read-only directory at start: blocking from the first query.
        Assert.Equal("0.0.0.0", Assert.Single((await client.QueryAsync("ads.example.test.", "A")).Answer).Data);

        _lists.Status = 200;
        _lists.Body = "||ads.example.test^\n||new.example.test^\n";
        Posix.Signal(server.ProcessId, Posix.SigHup);
        Assert.True(await EventuallyAsync(async () => (await client.QueryAsync("new.example.test.", "A")).Answer.Any(r => r.Data == "0.0.0.0")), server.Describe());
        Assert.Equal("0.0.0.0", Assert.Single((await client.QueryAsync("ads.example.test.", "A")).Answer).Data);
        Assert.Equal("192.0.2.1", Assert.Single((await client.QueryAsync("example.test.", "A")).Answer).Data);

        string warning = Assert.Single(server.Output.Split('\n'), line => line.Contains(Warning, StringComparison.Ordinal));
        Assert.Contains(Path.Combine(dataDir, "lists"), warning, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", warning, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(stored));
        Assert.Empty(Directory.GetFiles(Path.Combine(dataDir, "lists"), "*.tmp"));
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
