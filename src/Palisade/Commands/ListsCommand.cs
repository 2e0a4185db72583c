using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Server;
using Palisade.Server.Blocklists.Sources;
using Palisade.Server.Configuration;

namespace Palisade.Commands;

/// <summary><c>palisade lists update</c>: downloads every list now and says, per list, what came of it.</summary>
internal static class ListsCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var update = new Command("update", "Download every blocklist now (conditional requests) and show a summary per list.") { config };
        update.SetAction((result, cancellation) => UpdateAsync(result.GetValue(config), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellation));
        return new Command("lists", "Manage the blocklists.") { update };
    }

    private static async Task<int> UpdateAsync(FileInfo? configFile, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        var options = ConfigOption.TryLoad(configFile, ConfigurationOverrides.None, error);
        if (options is null)
        {
            return 2;
        }

        using var manager = PalisadeServer.CreateBlocklists(options, TimeProvider.System, NullLoggerFactory.Instance, out var http);
        using (http)
        {
            if (manager is null)
            {
                await output.WriteLineAsync("No blocklists are configured (blocking.lists is empty).").ConfigureAwait(false);
                return 0;
            }

            bool terminal = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
            var stopwatch = Stopwatch.StartNew();
            var results = await manager.UpdateAsync(
                force: true,
                terminal ? (source, bytes) => Console.Write($"\r  {source.Name}: {bytes / 1024.0:F0} KiB   ") : null,
                cancellation).ConfigureAwait(false);
            if (terminal)
            {
                Console.Write("\r" + new string(' ', 60) + "\r");
            }

            var set = manager.Current;
            foreach (var (source, result) in results)
            {
                var loaded = set.Lists.FirstOrDefault(l => l.Name == source.Name);
                string what = result.Status switch
                {
                    FetchStatus.Downloaded when result.InMemory => $"downloaded {result.Bytes / 1024.0:F0} KiB but NOT STORED: the cache directory {options.BlocklistCacheDir} cannot be written (see the warning)",
                    FetchStatus.Downloaded => $"downloaded {result.Bytes / 1024.0:F0} KiB",
                    FetchStatus.NotModified => "not modified since the last download",
                    FetchStatus.UpToDate => "up to date",
                    FetchStatus.LocalFile => "local file",
                    _ => $"FAILED: {result.Error} ({(result.HasList ? BlocklistFetcher.LastGoodCopyStays : source.IsRemote ? BlocklistFetcher.NoCopyYet : "the list is left out")})",
                };
                string summary = loaded is null ? "not loaded" : loaded.Summary.ToString();
                await output.WriteLineAsync($"{source.Name}: {what} in {result.Duration.TotalSeconds:F1} s; {summary}").ConfigureAwait(false);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{set.Describe()}, in {stopwatch.Elapsed.TotalSeconds:F1} s")).ConfigureAwait(false);
            // A download that could not be stored is lost when this command exits: that is a failure of the update.
            return results.Any(r => r.Result.Status == FetchStatus.Failed || r.Result.InMemory) ? 1 : 0;
        }
    }
}
