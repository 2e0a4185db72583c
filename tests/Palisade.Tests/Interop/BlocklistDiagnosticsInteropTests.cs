namespace Palisade.Tests.Interop;

/// <summary>
/// What <c>palisade serve</c> says and does about its lists, asked by dig with Knot DNS as the upstream: a list file
/// that cannot be read is an error line naming the full path and the system's reason, at start and on every reload;
/// a <c>$badfilter</c> rule in one list cancels the rule of another; the summaries count in words.
/// </summary>
public sealed class BlocklistDiagnosticsInteropTests(KnotFixture knot) : IClassFixture<KnotFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-listdiag-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Serve_ListFileThatCannotBeRead_ErrorLineAtStartAndOnReload_TakenOnceItIsThere()
    {
        string missing = Path.Combine(_directory, "lists", "ads.txt");
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [knot.UdpUpstream],
            ConfigText = $"blocking:\n  lists: [\"{missing}\"]\n  deny: [mail1.example.test]\n",
        });
        string error = $"Blocklist ads.txt: cannot read {missing}: No such file or directory (ENOENT); it is left out of blocking";
        Assert.True(server.Output.Contains(error, StringComparison.Ordinal), server.Describe());
        Assert.Contains("Blocking 1 domain and 0 regex rules from 1 inline deny entry", server.Output, StringComparison.Ordinal);

        await server.ReloadAsync(error);

        Directory.CreateDirectory(Path.GetDirectoryName(missing)!);
        await File.WriteAllTextAsync(missing, "||host.example.test^\n");
        await server.ReloadAsync("Blocking 2 domains and 0 regex rules from 1 list and 1 inline deny entry");
        Assert.Equal("0.0.0.0", Assert.Single((await server.Client().QueryAsync("host.example.test.", "A")).Answer).Data);
    }

    [Fact]
    public async Task Serve_BadfilterInAnotherList_CancelsTheRuleAndCountsIt()
    {
        string ads = WriteList("ads.txt", "||host.example.test^", "||mail1.example.test^");
        string fixes = WriteList("fixes.txt", "||host.example.test^$badfilter");
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [knot.UdpUpstream],
            ConfigText = $"blocking:\n  lists: [\"{ads}\", \"{fixes}\"]\n",
        });
        var client = server.Client();

        Assert.Equal("192.0.2.10", Assert.Single((await client.QueryAsync("host.example.test.", "A")).Answer).Data);
        Assert.Equal("0.0.0.0", Assert.Single((await client.QueryAsync("mail1.example.test.", "A")).Answer).Data);
        Assert.Contains("Blocklist ads.txt: 2 rules from 2 lines (adblock); 1 cancelled by $badfilter", server.Output, StringComparison.Ordinal);
        Assert.Contains("Blocklist fixes.txt: 0 rules from 1 line (adblock); 1 $badfilter rule", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DownloadFailsWithNoCopyYet_OneWarningNamingTheUrlOnce()
    {
        using var lists = new ListServer { Status = 500 };
        await using var server = await PalisadeServer.StartAsync(new PalisadeServerOptions
        {
            Upstreams = [knot.UdpUpstream],
            ConfigText = $"blocking:\n  lists: [\"{lists.Url}\"]\n",
        });

        // The first download is tried in the background right after start.
        string warning = $"was not updated from {lists.Url}: HTTP 500";
        Assert.True(await EventuallyAsync(() => server.Output.Contains(warning, StringComparison.Ordinal)), server.Describe());
        var line = Assert.Single(server.Output.Split('\n'), l => l.Contains(lists.Url, StringComparison.Ordinal) && !l.Contains("has not been downloaded yet", StringComparison.Ordinal));
        Assert.EndsWith("; no copy yet: the list is not in force", line.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(2, line.Split(lists.Url).Length);
    }

    [Fact]
    public void ListsUpdate_LocalListAndInlineAllow_CountsEntriesApartFromLists()
    {
        string ads = WriteList("ads.txt", "||ads.test^");
        string config = Path.Combine(_directory, "palisade.yml");
        File.WriteAllText(config, $"dataDir: \"{_directory}/data\"\nblocking:\n  lists: [\"{ads}\"]\n  allow: [ok.ads.test]\n");

        var result = PalisadeProcess.Run("lists", "update", "--config", config);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("ads.txt: local file in ", result.Output, StringComparison.Ordinal);
        Assert.Contains("; 1 rule from 1 line (adblock)", result.Output, StringComparison.Ordinal);
        Assert.Contains("2 domains and 0 regex rules from 1 list and 1 inline allow entry, in ", result.Output, StringComparison.Ordinal);
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }

    private string WriteList(string name, params string[] lines)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllLines(path, lines);
        return path;
    }
}
