using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Palisade.Protocol;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// Asks the upstreams a question: in the selector's order (the next one on failure) or all at once (parallel), within
/// <c>upstreamTimeout</c> in all, tracking each upstream's health. Identical questions in flight at the same time are
/// sent upstream once and the answer is shared. The exchanges it runs in the background (a shared exchange that outlives
/// the client that started it, a probe of a down upstream) are counted in <see cref="Background"/>, so that the
/// upstreams are closed only once none is left (<see cref="UpstreamSet.DisposeAsync"/>).
/// </summary>
public sealed partial class UpstreamResolver
{
    private static readonly TimeSpan MinimumAttempt = TimeSpan.FromMilliseconds(500);

    private readonly UpstreamSelector _selector;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Task<UpstreamAnswer?>> _inFlight = [];
    private readonly Lock _inFlightLock = new();

    public UpstreamResolver(IReadOnlyList<Upstream> upstreams, UpstreamStrategy strategy, TimeSpan timeout, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        if (upstreams.Count == 0)
        {
            throw new ArgumentException("At least one upstream is needed.", nameof(upstreams));
        }

        Upstreams = upstreams;
        _selector = new UpstreamSelector(upstreams, strategy);
        _timeout = timeout;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public IReadOnlyList<Upstream> Upstreams { get; }

    /// <summary>How long a question may wait for the upstreams in all.</summary>
    internal TimeSpan Timeout => _timeout;

    internal TimeProvider TimeProvider => _timeProvider;

    /// <summary>The exchanges running in the background; closed when the upstreams are about to be disposed.</summary>
    internal Pipeline.WorkCounter Background { get; } = new();

    /// <summary>
    /// The answer to <paramref name="question"/> and the upstream that gave it, or null when no upstream gave a usable
    /// one in time (or the upstreams are being closed). The answer may be shared by identical queries: do not write to it.
    /// </summary>
    public Task<UpstreamAnswer?> ResolveAsync(UpstreamQuestion question, CancellationToken cancellation)
    {
        string key = DeduplicationKey(question);
        TaskCompletionSource<UpstreamAnswer?> shared;
        lock (_inFlightLock)
        {
            if (_inFlight.TryGetValue(key, out var pending))
            {
                return pending.WaitAsync(cancellation);
            }

            if (!Background.TryEnter())
            {
                return Task.FromResult<UpstreamAnswer?>(null);
            }

            shared = new TaskCompletionSource<UpstreamAnswer?>();
            _inFlight[key] = shared.Task;
        }

        // Started here, outside the lock, on this thread: no hop to the thread pool before the query leaves.
        _ = ResolveSharedAsync(key, question, shared);
        return shared.Task.WaitAsync(cancellation);
    }

    /// <summary>
    /// Resolves a question for everyone asking it at the moment. The shared exchange is not cancelled by any one client
    /// going away; it is bounded by the timeout. It is forgotten before its answer is given, so that a question asked
    /// after the answer came is asked anew.
    /// </summary>
    private async Task ResolveSharedAsync(string key, UpstreamQuestion question, TaskCompletionSource<UpstreamAnswer?> shared)
    {
        UpstreamAnswer? answer = null;
        Exception? failure = null;
        try
        {
            var outcome = await ResolveCoreAsync(question).ConfigureAwait(false);
            answer = outcome.Answer is null ? null : new UpstreamAnswer(outcome.Answer, outcome.From!);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            failure = exception;
        }

        lock (_inFlightLock)
        {
            _inFlight.Remove(key);
        }

        Background.Leave();

        if (failure is null)
        {
            shared.SetResult(answer);
        }
        else
        {
            shared.SetException(failure);
        }
    }

    private async Task<Outcome> ResolveCoreAsync(UpstreamQuestion question)
    {
        byte[] query = new byte[UpstreamQuery.MaxLength];
        int length = UpstreamQuery.Write(query, question);
        var message = query.AsMemory(0, length);
        using var overall = new CancellationTokenSource(_timeout, _timeProvider);
        return _selector.Strategy == UpstreamStrategy.Parallel
            ? await RaceAsync(message, overall.Token).ConfigureAwait(false)
            : await InTurnAsync(message, overall.Token).ConfigureAwait(false);
    }

    private async Task<Outcome> InTurnAsync(ReadOnlyMemory<byte> query, CancellationToken overall)
    {
        var candidates = Candidates(query);

        Outcome fallback = default;
        long started = _timeProvider.GetTimestamp();
        for (int i = 0; i < candidates.Count && !overall.IsCancellationRequested; i++)
        {
            // Share what is left of the timeout among the upstreams still to try, so that one that never answers
            // cannot take it all; but give each at least half a second.
            // The last one simply has what is left (no timer of its own: with one upstream, the usual case, that is
            // the only attempt).
            Outcome outcome;
            if (i == candidates.Count - 1)
            {
                outcome = await TryOneAsync(candidates[i], query, overall).ConfigureAwait(false);
            }
            else
            {
                var left = _timeout - _timeProvider.GetElapsedTime(started);
                var share = TimeSpan.FromTicks(Math.Max(left.Ticks / (candidates.Count - i), MinimumAttempt.Ticks));
                using var attemptTimeout = new CancellationTokenSource(share, _timeProvider);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(overall, attemptTimeout.Token);
                outcome = await TryOneAsync(candidates[i], query, attempt.Token).ConfigureAwait(false);
            }

            if (outcome.Usable)
            {
                return outcome;
            }

            fallback = fallback.Answer is null ? outcome : fallback;
            query = Renumbered(query);
        }

        return fallback;
    }

    private async Task<Outcome> RaceAsync(ReadOnlyMemory<byte> query, CancellationToken overall)
    {
        var candidates = Candidates(query);

        using var race = CancellationTokenSource.CreateLinkedTokenSource(overall);
        var attempts = candidates.Select(u => TryOneAsync(u, Renumbered(query), race.Token, overall)).ToList();
        Outcome fallback = default;
        while (attempts.Count > 0)
        {
            var done = await Task.WhenAny(attempts).ConfigureAwait(false);
            attempts.Remove(done);
            var outcome = await done.ConfigureAwait(false);
            if (outcome.Usable)
            {
                await race.CancelAsync().ConfigureAwait(false);
                return outcome;
            }

            fallback = fallback.Answer is null ? outcome : fallback;
        }

        return fallback;
    }

    /// <summary>
    /// The upstreams to ask, in order: those that are up. A down upstream whose probe is due is probed in the
    /// background with the same query, so that no client waits on it; if nothing is up, the down ones are asked anyway.
    /// </summary>
    private List<Upstream> Candidates(ReadOnlyMemory<byte> query)
    {
        var order = _selector.Order();
        var candidates = order.Where(u => !u.Health.IsDown).ToList();
        var due = order.Where(u => u.Health.IsDown && u.Health.TryAcquire()).ToList();
        if (candidates.Count == 0)
        {
            return due.Count > 0 ? due : order.ToList();
        }

        foreach (var upstream in due)
        {
            // A probe holds the upstreams open like any exchange; none starts once they are being closed.
            if (Background.TryEnter())
            {
                _ = ProbeAsync(upstream, Renumbered(query));
            }
        }

        return candidates;
    }

    private async Task ProbeAsync(Upstream upstream, ReadOnlyMemory<byte> query)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
            await TryOneAsync(upstream, query, timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            Background.Leave();
        }
    }

    private Task<Outcome> TryOneAsync(Upstream upstream, ReadOnlyMemory<byte> query, CancellationToken cancellation) =>
        TryOneAsync(upstream, query, cancellation, cancellation);

    /// <param name="upstream">The upstream to ask.</param>
    /// <param name="query">The query.</param>
    /// <param name="cancellation">Ends the attempt.</param>
    /// <param name="timeout">Ends it for lack of time: only then does the upstream's silence count against it (an
    /// upstream that lost a parallel race to a faster one did nothing wrong).</param>
    private async Task<Outcome> TryOneAsync(Upstream upstream, ReadOnlyMemory<byte> query, CancellationToken cancellation, CancellationToken timeout)
    {
        long started = _timeProvider.GetTimestamp();
        try
        {
            var response = await upstream.ExchangeAsync(query, cancellation).ConfigureAwait(false);
            try
            {
                var code = (DnsResponseCode)(response.Buffer[3] & 0xF);
                var elapsed = _timeProvider.GetElapsedTime(started);
                if (code == DnsResponseCode.Refused)
                {
                    // An upstream that refuses us is misconfigured for us: count it against its health.
                    Failed(upstream, "it answered REFUSED");
                    return new Outcome(response.Span.ToArray(), upstream, Usable: false);
                }

                if (upstream.Health.RecordSuccess(elapsed))
                {
                    LogUpstreamRecovered(_logger, upstream);
                }

                // SERVFAIL may be the truth about one name (a DNSSEC failure, say): no mark against the upstream, but
                // another upstream may still do better.
                return new Outcome(response.Span.ToArray(), upstream, Usable: code != DnsResponseCode.ServerFailure);
            }
            finally
            {
                response.Release();
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            if (timeout.IsCancellationRequested)
            {
                Failed(upstream, "it did not answer in time");
            }

            return default;
        }
        catch (UpstreamException exception)
        {
            Failed(upstream, exception.Message, exception.IsLasting);
            return default;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Debug.Fail(exception.ToString());
            Failed(upstream, exception.Message);
            return default;
        }
        finally
        {
            if (upstream.CaseEcho?.TryMarkReported() == true)
            {
                LogNoCaseEcho(_logger, upstream);
            }
        }
    }

    /// <summary>
    /// Counts a failure against <paramref name="upstream"/> and logs it: one warning per streak of failures, when it goes
    /// down or, for a failure that will not go away by itself (<paramref name="lasting"/>: a rejected certificate) and for
    /// an upstream that has never answered (a wrong address, a resolver not running), at once;
    /// and for an upstream that keeps going down and coming back, one warning a minute at most, saying how many downs
    /// were not logged (<see cref="UpstreamHealth.TryMarkReported"/>). Every other failure is a debug line.
    /// </summary>
    private void Failed(Upstream upstream, string reason, bool lasting = false)
    {
        bool wentDown = upstream.Health.RecordFailure();
        bool neverAnswered = !upstream.Health.HasAnswered;

        // While it is down, each failure (a probe, or a query when nothing else is up) may log what was held back.
        if ((wentDown || lasting || neverAnswered || upstream.Health.IsDown) && upstream.Health.TryMarkReported(out int unreported))
        {
            if (lasting && !wentDown)
            {
                LogUpstreamRejected(_logger, upstream, reason);
            }
            else if (neverAnswered && !wentDown)
            {
                LogUpstreamNeverAnswered(_logger, upstream, reason);
            }
            else if (unreported > 0)
            {
                LogUpstreamFlapping(_logger, upstream, reason, (int)upstream.Health.Backoff.TotalSeconds, unreported, (int)UpstreamHealth.ReportInterval.TotalSeconds);
            }
            else
            {
                LogUpstreamDown(_logger, upstream, reason, (int)upstream.Health.Backoff.TotalSeconds);
            }
        }
        else
        {
            LogUpstreamAttemptFailed(_logger, upstream, reason);
        }
    }

    private static ReadOnlyMemory<byte> Renumbered(ReadOnlyMemory<byte> query)
    {
        byte[] copy = query.ToArray();
        UpstreamQuery.Renumber(copy);
        return copy;
    }

    /// <summary>
    /// The question's cache key (<see cref="CacheKey.Write"/>: the name without ASCII case, QTYPE, QCLASS, DO and CD) as a
    /// string, one char per octet: identical questions share an exchange exactly when they would share a cache entry.
    /// </summary>
    private static string DeduplicationKey(UpstreamQuestion question)
    {
        Span<byte> key = stackalloc byte[CacheKey.MaxLength];
        int length = CacheKey.Write(question.Name.Span, question.Type, question.Class, question.DnssecOk, question.CheckingDisabled, key);
        return Encoding.Latin1.GetString(key[..length]);
    }

    /// <summary>What one upstream said (<see cref="Answer"/> null: nothing usable in time), and which one.</summary>
    private readonly record struct Outcome(byte[]? Answer, Upstream? From, bool Usable);

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Upstream {Upstream} is failing ({Reason}); skipping it, next try in {Seconds} s")]
    private static partial void LogUpstreamDown(ILogger logger, Upstream upstream, string reason, int seconds);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Upstream {Upstream} is failing ({Reason}); skipping it, next try in {Seconds} s. It went down and came back {Count} more times, not logged (one warning per {Interval} s at most)")]
    private static partial void LogUpstreamFlapping(ILogger logger, Upstream upstream, string reason, int seconds, int count, int interval);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Upstream {Upstream} is failing ({Reason}) and has not answered once since it was configured: is the address right, and is a resolver running there?")]
    private static partial void LogUpstreamNeverAnswered(ILogger logger, Upstream upstream, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Upstream {Upstream} cannot be used: {Reason}")]
    private static partial void LogUpstreamRejected(ILogger logger, Upstream upstream, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Upstream {Upstream} does not echo the query's letter case (DNS 0x20); not randomising it for this upstream")]
    private static partial void LogNoCaseEcho(ILogger logger, Upstream upstream);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Upstream {Upstream} answers again")]
    private static partial void LogUpstreamRecovered(ILogger logger, Upstream upstream);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Upstream {Upstream} failed a query: {Reason}")]
    private static partial void LogUpstreamAttemptFailed(ILogger logger, Upstream upstream, string reason);
}
