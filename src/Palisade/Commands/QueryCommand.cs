using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Palisade.Protocol;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Commands;

/// <summary>
/// <c>palisade query NAME [TYPE] [--server ADDR|URL]</c>: asks a DNS server one question, over UDP, TCP, DNS over TLS or
/// DNS over HTTPS, and prints the answer as <c>decode</c> does, so that Palisade and its upstreams can be tried without
/// dig or kdig. The server is written as an upstream is in the configuration (same transports, same pins), which also
/// makes it the way to check an upstream URL before putting it there. Exit status: 0 when an answer came (whatever its
/// RCODE), 1 when none did (timeout, refused connection or certificate, malformed answer), 2 for a usage error.
/// </summary>
internal static class QueryCommand
{
    private const string DefaultServer = "127.0.0.1:53";

    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The name to look up (www.example.com)." };
        var type = new Argument<string>("type")
        {
            Description = "The record type: A, AAAA, MX, TXT, HTTPS... or TYPEnnn.",
            DefaultValueFactory = _ => "A",
        };
        var server = new Option<string>("--server", "-s")
        {
            Description = "The server, as an upstream is written: IP[:PORT] or udp://IP[:PORT] (UDP, then TCP if truncated), tcp://IP[:PORT], " +
                "tls://HOST-OR-IP[:PORT][#NAME] (DNS over TLS), https://HOST[:PORT]/PATH[#IP] (DNS over HTTPS); the encrypted ones take ?pin=sha256/BASE64.",
            DefaultValueFactory = _ => DefaultServer,
        };
        var authority = new Option<FileInfo?>("--ca")
        {
            Description = "A PEM file of certificate authorities to trust for tls:// and https:// besides the system's (palisade-ca.crt from palisade cert).",
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds to wait for the answer.",
            DefaultValueFactory = _ => 5,
        };
        var dnssec = new Option<bool>("--dnssec") { Description = "Set the DO bit, asking for DNSSEC records." };
        var command = new Command("query", "Ask a DNS server (Palisade, or an upstream) one question over UDP, TCP, DNS over TLS or HTTPS, and print the answer.")
        {
            name, type, server, authority, timeout, dnssec,
        };
        command.SetAction((result, cancellation) => RunAsync(
            new QueryRequest(result.GetValue(name)!, result.GetValue(type)!, result.GetValue(server)!, result.GetValue(authority), result.GetValue(timeout), result.GetValue(dnssec)),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            cancellation));
        return command;
    }

    private static async Task<int> RunAsync(QueryRequest request, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        if (Usage(request, out DnsName? name, out DnsRecordType type) is { } problem)
        {
            error.WriteLine($"palisade query: {problem}.");
            return 2;
        }

        if (!UpstreamClient.TryParse(request.Server, out string? urlError, out var server))
        {
            error.WriteLine($"palisade query: --server {urlError}.");
            return 2;
        }

        X509Certificate2Collection? roots = null;
        if (request.Authority is { } file)
        {
            roots = [];
            try
            {
                roots.ImportFromPemFile(file.FullName);
            }
            catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"palisade query: --ca {file.FullName} cannot be read: {exception.Message}");
                return 2;
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(request.TimeoutSeconds));
        long started = Stopwatch.GetTimestamp();
        try
        {
            await using var client = await UpstreamClient.ConnectAsync(server, roots, timeout.Token);
            byte[] answer = await client.AskAsync(name!, type, request.Dnssec, timeout.Token);
            double milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!DecodeCommand.Print(answer, output, error, "palisade query"))
            {
                return 1;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $";; Query time: {milliseconds:0} msec"));
            output.WriteLine($";; SERVER: {client.Server}");
            return 0;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"palisade query: no answer from {server} within {request.TimeoutSeconds:0.###} s."));
            return 1;
        }
        catch (Exception exception) when (exception is UpstreamException or SocketException or IOException or HttpRequestException)
        {
            error.WriteLine($"palisade query: no answer from {server}: {exception.Message}");
            return 1;
        }
    }

    /// <summary>What is wrong with the arguments, or null; the name and type parsed.</summary>
    private static string? Usage(QueryRequest request, out DnsName? name, out DnsRecordType type)
    {
        type = default;
        name = null;
        try
        {
            name = DnsName.Parse(request.Name);
        }
        catch (FormatException exception)
        {
            return exception.Message.TrimEnd('.');
        }

        if (!TryParseType(request.Type, out type))
        {
            return $"'{request.Type}' is not a record type (A, AAAA, MX, TXT, HTTPS... or TYPEnnn)";
        }

        return request.TimeoutSeconds is > 0 and <= 300 ? null : $"--timeout {request.TimeoutSeconds} is out of range (more than 0, at most 300 seconds)";
    }

    /// <summary>A mnemonic (any case) or <c>TYPEnnn</c> (RFC 3597 s5).</summary>
    private static bool TryParseType(string text, out DnsRecordType type)
    {
        if (text.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase) && ushort.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out ushort number))
        {
            type = (DnsRecordType)number;
            return true;
        }

        return Enum.TryParse(text, ignoreCase: true, out type) && char.IsAsciiLetter(text[0]) && !text.Contains(',', StringComparison.Ordinal) && Enum.IsDefined(type);
    }

    private sealed record QueryRequest(string Name, string Type, string Server, FileInfo? Authority, double TimeoutSeconds, bool Dnssec);
}
