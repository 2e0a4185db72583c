using Microsoft.Extensions.Logging;

namespace Palisade.Fuzz.Fakes;

/// <summary>An <see cref="ILogger{TCategoryName}"/> for components that ask for one, writing to <paramref name="inner"/>.</summary>
public sealed class TypedLogger<T>(ILogger inner) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, formatter);
}
