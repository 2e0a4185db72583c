using Microsoft.Extensions.Logging;
using Palisade.Server.Configuration;

namespace Palisade.Commands;

/// <summary>
/// The minimum level of <c>serve</c>'s log, changed at run time: the logger's filter reads it on every line (and every
/// <see cref="ILogger.IsEnabled"/>), so a SIGHUP that sets <c>log.level: debug</c> turns the per-query lines on for
/// the queries that follow, without a restart.
/// </summary>
internal sealed class LogLevelSwitch(LogLevelOption level)
{
    private volatile int _minimum = (int)ToLogLevel(level);

    public LogLevel Minimum => (LogLevel)_minimum;

    /// <summary>Sets the level for the lines that follow.</summary>
    public void Set(LogLevelOption level) => _minimum = (int)ToLogLevel(level);

    /// <summary>Whether a line of <paramref name="level"/> is written now.</summary>
    public bool Allows(LogLevel level) => level != LogLevel.None && level >= Minimum;

    private static LogLevel ToLogLevel(LogLevelOption level) => level switch
    {
        LogLevelOption.Debug => LogLevel.Debug,
        LogLevelOption.Warning => LogLevel.Warning,
        LogLevelOption.Error => LogLevel.Error,
        _ => LogLevel.Information,
    };
}
