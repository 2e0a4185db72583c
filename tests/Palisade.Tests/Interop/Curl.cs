using System.Globalization;

namespace Palisade.Tests.Interop;

/// <summary>What curl got: its exit code, the HTTP version and status, the response headers and body.</summary>
public sealed record CurlResult(int ExitCode, string HttpVersion, int Status, string Headers, byte[] Body, string Error)
{
    public override string ToString() => $"curl exit {ExitCode}, HTTP/{HttpVersion} {Status}\n{Headers}\n{Error}";
}

/// <summary>curl (Debian <c>curl</c>) as a DNS-over-HTTPS client: the real HTTP/2 and HTTP/1.1 of a browser-like client.</summary>
public static class Curl
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Sends <paramref name="body"/> (POST) or nothing (GET when null) to <paramref name="url"/>, with
    /// <paramref name="resolve"/> as curl's <c>--resolve HOST:PORT:ADDR</c> and <paramref name="caFile"/> as the only trusted CA.
    /// </summary>
    public static async Task<CurlResult> RequestAsync(
        string url,
        byte[]? body,
        string resolve,
        string caFile,
        string contentType = "application/dns-message",
        bool http2 = true)
    {
        string curl = ExternalTool.Require("curl", "curl");
        string directory = Directory.CreateTempSubdirectory("palisade-curl-").FullName;
        try
        {
            string output = Path.Combine(directory, "body.bin");
            string headers = Path.Combine(directory, "headers.txt");
            var arguments = new List<string>
            {
                "--silent", "--show-error", "--noproxy", "*", "--max-time", "10",
                http2 ? "--http2" : "--http1.1",
                "--cacert", caFile,
                "--resolve", resolve,
                "-H", "accept: application/dns-message",
                "--output", output,
                "--dump-header", headers,
                "--write-out", "%{http_version} %{response_code}",
            };
            if (body is not null)
            {
                string input = Path.Combine(directory, "query.bin");
                await File.WriteAllBytesAsync(input, body);
                arguments.AddRange(["-H", "content-type: " + contentType, "--data-binary", "@" + input]);
            }

            arguments.Add(url);
            ToolResult result = await ExternalTool.RunAsync(curl, arguments, Timeout);
            string[] written = result.Output.Trim().Split(' ');
            return new CurlResult(
                result.ExitCode,
                written.Length > 0 ? written[0] : string.Empty,
                written.Length > 1 && int.TryParse(written[1], CultureInfo.InvariantCulture, out int status) ? status : 0,
                File.Exists(headers) ? await File.ReadAllTextAsync(headers) : string.Empty,
                File.Exists(output) ? await File.ReadAllBytesAsync(output) : [],
                result.Error);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
