using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Palisade.Tests.Interop;

/// <summary>Which command-line client asks the question.</summary>
public enum DigTool
{
    /// <summary>ISC <c>dig</c> (Debian package bind9-dnsutils).</summary>
    Dig,

    /// <summary>Knot's <c>kdig</c> (Debian package knot-dnsutils). It lower-cases the query name and sends no EDNS by default.</summary>
    Kdig,
}

/// <summary>How the question travels.</summary>
public enum DnsTransport
{
    /// <summary>One UDP datagram; a truncated reply is reported as it is, never retried over TCP.</summary>
    Udp,

    /// <summary>A TCP connection.</summary>
    Tcp,
}

/// <summary>One question for <see cref="DigClient"/>.</summary>
/// <param name="Name">The query name as sent (dig keeps its case; kdig lower-cases it).</param>
/// <param name="Type">The query type mnemonic, e.g. "A", "TXT".</param>
public sealed record DigQuery(string Name, string Type)
{
    /// <summary>UDP (the default) or TCP.</summary>
    public DnsTransport Transport { get; init; } = DnsTransport.Udp;

    /// <summary>True sends EDNS version 0, false sends none, null keeps the tool's default (dig: EDNS with 1232; kdig: none).</summary>
    public bool? Edns { get; init; }

    /// <summary>The EDNS UDP payload size to advertise (implies EDNS); null keeps the tool's default.</summary>
    public int? BufferSize { get; init; }

    /// <summary>Whether RD is set (the default, as both tools do).</summary>
    public bool Recursion { get; init; } = true;

    /// <summary>How long the tool waits for the reply (its +time); one try only.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Tool options appended verbatim, e.g. "+nocookie".</summary>
    public IReadOnlyList<string> ExtraOptions { get; init; } = [];

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Type} over {Transport}";
}

/// <summary>One resource record as the tool printed it. <see cref="Data"/> is the presentation form with whitespace outside quotes collapsed.</summary>
public sealed record DigRecord(string Name, uint Ttl, string Class, string Type, string Data)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Ttl} {Class} {Type} {Data}";
}

/// <summary>A reply as dig or kdig printed it.</summary>
public sealed record DigAnswer
{
    /// <summary>The RCODE mnemonic, e.g. NOERROR, NXDOMAIN, SERVFAIL.</summary>
    public required string Status { get; init; }

    /// <summary>The message ID.</summary>
    public required int Id { get; init; }

    /// <summary>The header flags that are set, lower case: qr, aa, tc, rd, ra, ad, cd.</summary>
    public required IReadOnlySet<string> Flags { get; init; }

    /// <summary>The question name exactly as it came back (dig shows its case; kdig lower-cases it).</summary>
    public string? QuestionName { get; init; }

    /// <summary>The question type mnemonic.</summary>
    public string? QuestionType { get; init; }

    /// <summary>Whether the reply carried an OPT record.</summary>
    public bool HasEdns { get; init; }

    public IReadOnlyList<DigRecord> Answer { get; init; } = [];

    public IReadOnlyList<DigRecord> Authority { get; init; } = [];

    public IReadOnlyList<DigRecord> Additional { get; init; } = [];

    /// <summary>Everything the tool printed, for failure messages.</summary>
    public string Raw { get; init; } = string.Empty;

    public bool Truncated => Flags.Contains("tc");

    public bool Authoritative => Flags.Contains("aa");

    public bool RecursionAvailable => Flags.Contains("ra");
}

/// <summary>Raised when the tool got no parseable reply (timeout, refused connection, malformed reply).</summary>
public sealed class DigException : Exception
{
    public DigException()
    {
    }

    public DigException(string message)
        : base(message)
    {
    }

    public DigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Asks a DNS server on loopback a question with dig or kdig and parses the printed reply: status, flags, question and the
/// answer, authority and additional sections. Stateless and safe to share.
/// </summary>
public sealed partial class DigClient
{
    private static readonly TimeSpan ProcessSlack = TimeSpan.FromSeconds(8);

    private readonly string _program;

    /// <summary>A client of <paramref name="tool"/> for the server at <paramref name="server"/>:<paramref name="port"/>.</summary>
    public DigClient(DigTool tool, IPAddress server, int port)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!IPAddress.IsLoopback(server))
        {
            throw new ArgumentException($"the interop tests only talk to loopback, not {server}", nameof(server));
        }

        Tool = tool;
        Server = server;
        Port = port;
        _program = tool == DigTool.Dig ? ExternalTool.Require("dig", "bind9-dnsutils") : ExternalTool.Require("kdig", "knot-dnsutils");
    }

    public DigTool Tool { get; }

    public IPAddress Server { get; }

    public int Port { get; }

    /// <summary>Asks <paramref name="query"/> and returns the reply; throws <see cref="DigException"/> when none came.</summary>
    public async Task<DigAnswer> QueryAsync(DigQuery query, CancellationToken cancellationToken = default)
    {
        ToolResult result = await RunAsync(query, cancellationToken);
        return Parse(result.Output) ?? throw new DigException(
            $"{Tool} got no reply to {query} from {Server}:{Port} (exit code {result.ExitCode}):\n{result.Output}{result.Error}");
    }

    /// <summary>Asks <paramref name="name"/> <paramref name="type"/> over <paramref name="transport"/> with the tool's defaults.</summary>
    public Task<DigAnswer> QueryAsync(string name, string type, DnsTransport transport = DnsTransport.Udp, CancellationToken cancellationToken = default) =>
        QueryAsync(new DigQuery(name, type) { Transport = transport }, cancellationToken);

    /// <summary>Asks <paramref name="query"/>; null when no reply came.</summary>
    public async Task<DigAnswer?> TryQueryAsync(DigQuery query, CancellationToken cancellationToken = default)
    {
        ToolResult result = await RunAsync(query, cancellationToken);
        return Parse(result.Output);
    }

    /// <summary>The command-line arguments this client passes for <paramref name="query"/>.</summary>
    public IReadOnlyList<string> Arguments(DigQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        int seconds = Math.Max(1, (int)Math.Ceiling(query.Timeout.TotalSeconds));
        var arguments = new List<string>
        {
            "@" + Server.ToString(),
            "-p",
            Port.ToString(CultureInfo.InvariantCulture),
            query.Name,
            query.Type,
            query.Transport == DnsTransport.Tcp ? "+tcp" : "+notcp",

            // Report a truncated UDP reply as it is instead of retrying over TCP.
            "+ignore",
            query.Recursion ? "+rec" : "+norec",
            "+time=" + seconds.ToString(CultureInfo.InvariantCulture),
            Tool == DigTool.Dig ? "+tries=1" : "+retry=0",
        };
        if (query.Edns == true)
        {
            arguments.Add("+edns=0");
        }
        else if (query.Edns == false)
        {
            arguments.Add("+noedns");
        }

        if (query.BufferSize is int size)
        {
            arguments.Add("+bufsize=" + size.ToString(CultureInfo.InvariantCulture));
        }

        arguments.AddRange(query.ExtraOptions);
        return arguments;
    }

    /// <summary>
    /// Parses dig's or kdig's default output. Returns null when it holds no reply header (the tool timed out or gave up). When
    /// the tool printed several replies, the last one wins.
    /// </summary>
    public static DigAnswer? Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        DigAnswer? last = null;
        string? status = null;
        int id = 0;
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string? questionName = null;
        string? questionType = null;
        bool edns = false;
        var sections = new Dictionary<string, List<DigRecord>>(StringComparer.Ordinal);
        string? section = null;

        void Finish()
        {
            if (status is null)
            {
                return;
            }

            last = new DigAnswer
            {
                Status = status,
                Id = id,
                Flags = new HashSet<string>(flags, StringComparer.Ordinal),
                QuestionName = questionName,
                QuestionType = questionType,
                HasEdns = edns,
                Answer = sections.GetValueOrDefault("ANSWER") ?? [],
                Authority = sections.GetValueOrDefault("AUTHORITY") ?? [],
                Additional = sections.GetValueOrDefault("ADDITIONAL") ?? [],
                Raw = output,
            };
        }

        foreach (string rawLine in output.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r', ' ', '\t');
            Match header = HeaderPattern().Match(line);
            if (header.Success)
            {
                Finish();
                status = header.Groups["status"].Value;
                id = int.Parse(header.Groups["id"].Value, CultureInfo.InvariantCulture);
                flags.Clear();
                questionName = null;
                questionType = null;
                edns = false;
                sections = new Dictionary<string, List<DigRecord>>(StringComparer.Ordinal);
                section = null;
                continue;
            }

            if (status is null)
            {
                continue;
            }

            Match flagLine = FlagsPattern().Match(line);
            if (flagLine.Success)
            {
                flags.UnionWith(flagLine.Groups["flags"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.ToLowerInvariant()));
                continue;
            }

            Match sectionLine = SectionPattern().Match(line);
            if (sectionLine.Success)
            {
                section = sectionLine.Groups["section"].Value.ToUpperInvariant();
                if (section is "OPT" or "EDNS")
                {
                    edns = true;
                }

                continue;
            }

            if (line.Length == 0)
            {
                section = null;
                continue;
            }

            if (section == "QUESTION")
            {
                string[] fields = line.TrimStart(';', ' ', '\t').Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 3)
                {
                    questionName = fields[0];
                    questionType = fields[^1];
                }

                continue;
            }

            if (section is "ANSWER" or "AUTHORITY" or "ADDITIONAL" && !line.StartsWith(';'))
            {
                DigRecord? record = ParseRecord(line);
                if (record is not null)
                {
                    if (!sections.TryGetValue(section, out List<DigRecord>? records))
                    {
                        records = [];
                        sections[section] = records;
                    }

                    records.Add(record);
                }
            }
        }

        Finish();
        return last;
    }

    /// <summary>Parses one "name ttl class type data" line; null when it is not one.</summary>
    public static DigRecord? ParseRecord(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Match match = RecordPattern().Match(line.Trim());
        if (!match.Success)
        {
            return null;
        }

        return new DigRecord(
            match.Groups["name"].Value,
            uint.Parse(match.Groups["ttl"].Value, CultureInfo.InvariantCulture),
            match.Groups["class"].Value,
            match.Groups["type"].Value,
            NormalizeData(match.Groups["data"].Value));
    }

    /// <summary>Trims the data and collapses runs of whitespace outside double quotes to one space.</summary>
    public static string NormalizeData(string data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var builder = new StringBuilder(data.Length);
        bool quoted = false;
        bool escaped = false;
        bool pendingSpace = false;
        foreach (char c in data.Trim())
        {
            if (!quoted && char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
            if (escaped)
            {
                escaped = false;
            }
            else if (c == '\\')
            {
                escaped = true;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
        }

        return builder.ToString();
    }

    private async Task<ToolResult> RunAsync(DigQuery query, CancellationToken cancellationToken) =>
        await ExternalTool.RunAsync(_program, Arguments(query), query.Timeout + ProcessSlack, cancellationToken);

    // dig: ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 123"; kdig separates with ';'.
    [GeneratedRegex(@"->>HEADER<<-\s+opcode:\s*\S+?[,;]\s*status:\s*(?<status>[A-Za-z0-9]+)[,;]\s*id:\s*(?<id>\d+)")]
    private static partial Regex HeaderPattern();

    // dig: ";; flags: qr aa rd; QUERY: 1, ..."; kdig: ";; Flags: qr aa rd; QUERY: 1; ...".
    [GeneratedRegex(@"^;;\s*[Ff]lags:(?<flags>[^;]*);")]
    private static partial Regex FlagsPattern();

    // ";; ANSWER SECTION:", ";; OPT PSEUDOSECTION:" (dig), ";; EDNS PSEUDOSECTION:" (kdig).
    [GeneratedRegex(@"^;;\s*(?<section>[A-Z]+)\s+(PSEUDO)?SECTION:")]
    private static partial Regex SectionPattern();

    [GeneratedRegex(@"^(?<name>\S+)\s+(?<ttl>\d+)\s+(?<class>IN|CH|HS|CLASS\d+)\s+(?<type>[A-Z0-9-]+)\s*(?<data>.*)$")]
    private static partial Regex RecordPattern();
}
