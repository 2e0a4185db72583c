using Microsoft.Extensions.Logging;

namespace Palisade.Fuzz.Fakes;

/// <summary>
/// A logger that formats every message (so that logging code runs too) and keeps the exceptions logged at Error and
/// above: the dispatcher catches whatever the pipeline throws and logs it, so that is where a pipeline crash shows.
/// </summary>
public sealed class CapturingLogger : ILogger
{
    public List<Exception> Errors { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _ = formatter(state, exception);
        if (logLevel >= LogLevel.Error)
        {
            lock (Errors)
            {
                Errors.Add(exception ?? new InvalidOperationException(formatter(state, exception)));
            }
        }
    }
}
