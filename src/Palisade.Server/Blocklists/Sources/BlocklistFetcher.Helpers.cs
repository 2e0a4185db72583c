using System.Globalization;
using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Server.Blocklists.Sources;

/// <summary>Parsing a download, telling a URL from a local path, and the small text and file helpers.</summary>
public sealed partial class BlocklistFetcher
{
    private static ParseSummary Parse(DownloadSink sink, BlocklistSource source)
    {
        using var stream = sink.OpenRead();
        var options = new BlocklistParseOptions { PlainEntriesIncludeSubdomains = source.Subdomains };
        return BlocklistParser.Parse(stream, options, static _ => { });
    }

    private static SourceKind Classify(BlocklistSource source, out Uri? uri, out string? localPath)
    {
        var location = source.Location.Trim();
        localPath = null;
        if (Uri.TryCreate(location, UriKind.Absolute, out uri))
        {
            if (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            {
                return SourceKind.Remote;
            }

            if (uri.IsFile)
            {
                localPath = Path.GetFullPath(uri.LocalPath);
                return SourceKind.Local;
            }

            // "C:" style paths parse as file URIs above; anything else with a scheme is not a list we can fetch.
            if (location.Contains("://", StringComparison.Ordinal))
            {
                return SourceKind.Unsupported;
            }
        }

        uri = null;
        localPath = Path.GetFullPath(location);
        return SourceKind.Local;
    }

    /// <summary>The URL for messages: without any user name or password.</summary>
    private static string Display(Uri uri) =>
        uri.UserInfo.Length == 0 ? uri.OriginalString : new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString();

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static string Seconds(TimeSpan span) => Invariant($"{span.TotalSeconds:0.###} s");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static long SafeLength(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
