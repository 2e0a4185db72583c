using System.Globalization;

namespace Palisade.Tests.Interop;

/// <summary>How kdig authenticates a DNS over TLS or HTTPS server (its +tls-* options).</summary>
public sealed record KdigTlsOptions
{
    /// <summary>+tls-ca=FILE: verify the chain against this PEM root. Null with no pin and no hostname: opportunistic (no verification).</summary>
    public string? CaFile { get; init; }

    /// <summary>+tls-hostname=NAME: the name the certificate must hold (and the SNI and HTTP authority kdig sends).</summary>
    public string? Hostname { get; init; }

    /// <summary>+tls-pin=BASE64: the SPKI pin the certificate must match (Base64 only, no "sha256/").</summary>
    public string? PinBase64 { get; init; }

    /// <summary>
    /// Null for DNS over TLS; a path such as "/dns-query" for DNS over HTTPS (+https=PATH, HTTP/2 POST, or GET with
    /// <see cref="HttpsGet"/>).
    /// </summary>
    public string? HttpsPath { get; init; }

    /// <summary>+https-get: send the question as a GET with ?dns=base64url instead of a POST.</summary>
    public bool HttpsGet { get; init; }

    /// <summary>How long kdig waits for the reply (its +time); one try only.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>
/// Runs kdig over DNS over TLS or DNS over HTTPS against 127.0.0.1 (DigClient only speaks UDP and TCP), and parses the reply with
/// <see cref="DigClient.Parse"/>.
/// </summary>
public static class KdigTls
{
    private static readonly TimeSpan ProcessSlack = TimeSpan.FromSeconds(8);

    /// <summary>The kdig arguments for <paramref name="name"/> <paramref name="type"/> to 127.0.0.1:<paramref name="port"/>.</summary>
    public static IReadOnlyList<string> Arguments(int port, string name, string type, KdigTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int seconds = Math.Max(1, (int)Math.Ceiling(options.Timeout.TotalSeconds));
        var arguments = new List<string>
        {
            "@127.0.0.1",
            "-p",
            port.ToString(CultureInfo.InvariantCulture),
            name,
            type,
            "+time=" + seconds.ToString(CultureInfo.InvariantCulture),
            "+retry=0",
        };
        bool verifies = false;
        if (options.CaFile is not null)
        {
            arguments.Add("+tls-ca=" + options.CaFile);
            verifies = true;
        }

        if (options.Hostname is not null)
        {
            arguments.Add("+tls-hostname=" + options.Hostname);
            verifies = true;
        }

        if (options.PinBase64 is not null)
        {
            arguments.Add("+tls-pin=" + options.PinBase64);
            verifies = true;
        }

        if (!verifies)
        {
            arguments.Add("+tls");
        }

        if (options.HttpsPath is not null)
        {
            arguments.Add("+https=" + options.HttpsPath);
            if (options.HttpsGet)
            {
                arguments.Add("+https-get");
            }
        }

        return arguments;
    }

    /// <summary>Runs kdig and returns what it printed, whatever happened.</summary>
    public static async Task<ToolResult> RunAsync(int port, string name, string type, KdigTlsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string kdig = ExternalTool.Require("kdig", "knot-dnsutils");
        return await ExternalTool.RunAsync(kdig, Arguments(port, name, type, options), options.Timeout + ProcessSlack, cancellationToken);
    }

    /// <summary>Asks and returns the parsed reply; throws <see cref="DigException"/> with kdig's output when none came.</summary>
    public static async Task<DigAnswer> QueryAsync(int port, string name, string type, KdigTlsOptions options, CancellationToken cancellationToken = default)
    {
        ToolResult result = await RunAsync(port, name, type, options, cancellationToken);
        return DigClient.Parse(result.Output) ?? throw new DigException(
            $"kdig got no reply to {name} {type} from 127.0.0.1:{port} (exit code {result.ExitCode}):\n{result.Output}{result.Error}");
    }
}
