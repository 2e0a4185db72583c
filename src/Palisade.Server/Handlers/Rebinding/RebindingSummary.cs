using System.Net;
using Microsoft.Extensions.Logging;
using Palisade.Protocol;
using Palisade.Server.Handlers.AccessControl;

namespace Palisade.Server.Handlers.Rebinding;

/// <summary>
/// The trace that answers stopped by rebinding protection leave at <c>info</c>: at most one line a minute, "Rebinding
/// protection stopped 3 answers (first: nas.home.arpa → 192.168.1.10); allow the name with security.rebindingAllow or
/// forward the domain" (see <see cref="SummaryWindow{TExample}"/>). The example is made (a string) only for the first
/// answer of each minute; counting the others allocates nothing. Outlives reloads.
/// </summary>
public sealed partial class RebindingSummary : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly SummaryWindow<string> _window;

    public RebindingSummary(TimeProvider timeProvider, ILogger logger) =>
        _window = new SummaryWindow<string>(Interval, timeProvider, summary => Write(logger, summary));

    /// <summary>Counts one answer stopped: the question's name (wire form) and the private address (4 or 16 octets).</summary>
    public void Record(ReadOnlySpan<byte> name, ReadOnlySpan<byte> address)
    {
        if (_window.WantsExample)
        {
            // Without the trailing dot, as the name is written in security.rebindingAllow.
            string text = DnsName.FromWire(name).ToString();
            _window.OfferExample($"{(text.Length > 1 ? text[..^1] : text)} → {new IPAddress(address)}");
        }

        _window.Record(0);
    }

    public void Dispose() => _window.Dispose();

    private static void Write(ILogger logger, SummaryWindow<string>.Summary summary)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            string answers = RefusalSummary.Plural(summary.Count, "answer", "answers");
            LogStopped(logger, answers, summary.First);
        }
    }

    [LoggerMessage(EventId = 511, Level = LogLevel.Information, Message = "Rebinding protection stopped {Answers} (first: {First}); allow the name with security.rebindingAllow or forward the domain")]
    private static partial void LogStopped(ILogger logger, string answers, string first);
}
