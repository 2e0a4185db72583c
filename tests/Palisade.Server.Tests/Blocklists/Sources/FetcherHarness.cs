using Microsoft.Extensions.Time.Testing;
using Palisade.Server.Blocklists.Sources;

namespace Palisade.Server.Tests.Blocklists.Sources;

/// <summary>
/// A fetcher over a fresh temporary cache directory, a fake clock and a scripted HTTP server on 127.0.0.1.
/// Disposing stops the server and removes the directory.
/// </summary>
internal sealed class FetcherHarness : IAsyncDisposable
{
    public static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly HttpClient _http;

    public FetcherHarness(BlocklistFetcherOptions? options = null, string? cacheDir = null)
    {
        Root = Directory.CreateTempSubdirectory("palisade-sources-").FullName;
        CacheDir = cacheDir ?? Path.Combine(Root, "cache");
        Server = ScriptedHttpServer.Start();

        // No proxy: the tests talk to 127.0.0.1 only. The client's own timeout is a backstop in real time.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        Fetcher = new BlocklistFetcher(_http, CacheDir, Time, Log, options);
    }

    public string Root { get; }

    /// <summary>Everything the fetcher logged.</summary>
    public RecordingLogger<BlocklistFetcher> Log { get; } = new();

    public string CacheDir { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public ScriptedHttpServer Server { get; }

    public BlocklistFetcher Fetcher { get; }

    public BlocklistSource Source(string path = "list.txt", string name = "Test List") => new(Server.Url(path).ToString(), name, false);

    public Task<FetchResult> FetchAsync(BlocklistSource source, bool force = false, IProgress<long>? progress = null) =>
        Fetcher.FetchAsync(source, Day, force, progress, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

    /// <summary>The stored list and metadata, byte for byte (to show a failure left them alone).</summary>
    public static (byte[] List, byte[] Metadata) Snapshot(FetchResult result)
    {
        Assert.NotNull(result.Path);
        return (File.ReadAllBytes(result.Path), File.ReadAllBytes(Path.ChangeExtension(result.Path, ".json")));
    }

    public string[] TempFiles() =>
        Directory.Exists(CacheDir) ? Directory.GetFiles(CacheDir, "*.tmp") : [];

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _http.Dispose();
        try
        {
            foreach (var directory in Directory.EnumerateDirectories(Root, "*", SearchOption.AllDirectories).Prepend(Root))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
