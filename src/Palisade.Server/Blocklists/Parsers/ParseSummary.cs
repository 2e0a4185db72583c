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

    /// <summary><c>$badfilter</c> rules read (each cancels a rule, in whichever list it is; not counted in <see cref="Rules"/>).</summary>
    public int Badfilters { get; internal set; }

    /// <summary>
    /// Rules of this list (of <see cref="Rules"/> and <see cref="RegexRules"/>) cancelled by a <c>$badfilter</c> rule,
    /// from any list: set when the blocklist set is built, 0 after a parse alone.
    /// </summary>
    public int Cancelled { get; internal set; }

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
    /// One line for logs, e.g. <c>89,931 rules from 89,942 lines (hosts); skipped 12: 10 invalid name, 2 unsupported
    /// modifier</c>, or <c>1 rule from 1 line (domains)</c>.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Count(Rules, "rule"));
        if (RegexRules > 0)
        {
            text.Append(" and ").Append(Count(RegexRules, "regex rule"));
        }

        text.Append(" from ").Append(Count(Lines, "line")).Append(CultureInfo.InvariantCulture, $" ({Format.ToString().ToLowerInvariant()})");
        if (Cancelled > 0)
        {
            text.Append("; ").Append(CultureInfo.InvariantCulture, $"{Cancelled:N0} cancelled by $badfilter");
        }

        if (Badfilters > 0)
        {
            text.Append("; ").Append(Count(Badfilters, "$badfilter rule"));
        }

        if (SkippedTotal > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; skipped {SkippedTotal:N0}: ");
            var first = true;
            foreach (var (reason, count) in _skipped.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Append(first ? "" : ", ").Append(CultureInfo.InvariantCulture, $"{count:N0} {reason}");
                first = false;
            }
        }

        return text.ToString();
    }

    /// <summary><c>1 rule</c>, <c>2 rules</c>, <c>1,024 lines</c>: the count with the thousands separator, and the noun in the right number.</summary>
    public static string Count(int count, string noun) => Count(count, noun, noun + "s");

    /// <summary><c>1 entry</c>, <c>2 entries</c>: the count with the thousands separator, and the singular or the plural.</summary>
    public static string Count(int count, string singular, string plural) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? singular : plural)}");
}
