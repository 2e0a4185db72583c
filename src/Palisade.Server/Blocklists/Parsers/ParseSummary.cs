using System.Globalization;
using System.Text;

namespace Palisade.Server.Blocklists.Parsers;

/// <summary>
/// What a parse found: line counts, rule counts, what was skipped and why, and the detected format.
/// <see cref="ToString"/> gives a one-line summary for logs.
/// </summary>
public sealed class ParseSummary
{
    private readonly Dictionary<string, int> _skipped = new(StringComparer.Ordinal);
    private LineKinds _kinds;

    [Flags]
    internal enum LineKinds : byte
    {
        None = 0,
        Hosts = 1,
        Domains = 2,
        Wildcard = 4,
        Adblock = 8,
    }

    /// <summary>Lines read, including comments, blank lines and a final line with no newline.</summary>
    public int Lines { get; internal set; }

    /// <summary>Domain rules delivered (a hosts line with nine names gives nine).</summary>
    public int Rules { get; internal set; }

    /// <summary>Regex rules accepted (delivered when a regex callback was given).</summary>
    public int RegexRules { get; internal set; }

    /// <summary>Comment lines (<c>#</c>, <c>!</c>, <c>[Adblock Plus]</c>).</summary>
    public int Comments { get; internal set; }

    /// <summary>Blank (or whitespace-only) lines.</summary>
    public int Blank { get; internal set; }

    /// <summary>
    /// What was skipped, by reason (see <see cref="SkipReasons"/>). A skipped line counts once; on a hosts line each
    /// skipped name counts once.
    /// </summary>
    public IReadOnlyDictionary<string, int> Skipped => _skipped;

    /// <summary>The sum of <see cref="Skipped"/>.</summary>
    public int SkippedTotal { get; private set; }

    /// <summary>The syntax the rule lines were written in, or <see cref="BlocklistFormat.Mixed"/> when more than one.</summary>
    public BlocklistFormat Format => _kinds switch
    {
        LineKinds.None => BlocklistFormat.Empty,
        LineKinds.Hosts => BlocklistFormat.Hosts,
        LineKinds.Domains => BlocklistFormat.Domains,
        LineKinds.Wildcard => BlocklistFormat.Wildcard,
        LineKinds.Adblock => BlocklistFormat.Adblock,
        _ => BlocklistFormat.Mixed,
    };

    internal void Skip(string reason)
    {
        _skipped[reason] = _skipped.GetValueOrDefault(reason) + 1;
        SkippedTotal++;
    }

    internal void Saw(LineKinds kind) => _kinds |= kind;

    /// <summary>
    /// One line for logs, e.g.
    /// <c>89,931 rules from 89,942 lines (hosts); skipped 12: 10 invalid name, 2 unsupported modifier</c>.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.Append(culture, $"{Rules:N0} rules");
        if (RegexRules > 0)
        {
            text.Append(culture, $" and {RegexRules:N0} regex rules");
        }

        text.Append(culture, $" from {Lines:N0} lines ({Format.ToString().ToLowerInvariant()})");
        if (SkippedTotal > 0)
        {
            text.Append(culture, $"; skipped {SkippedTotal:N0}: ");
            var first = true;
            foreach (var (reason, count) in _skipped.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Append(first ? "" : ", ").Append(culture, $"{count:N0} {reason}");
                first = false;
            }
        }

        return text.ToString();
    }
}
