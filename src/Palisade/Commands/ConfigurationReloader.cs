using Microsoft.Extensions.Logging;
using Palisade.Server;
using Palisade.Server.Configuration;
using Palisade.Server.Transport.Tls;

namespace Palisade.Commands;

/// <summary>
/// What <c>palisade serve</c> does on SIGHUP: reads the configuration file again, with the command-line options of the
/// start, validates it as at start and applies it (<see cref="PalisadeServer.ReloadAsync"/>). A configuration that is
/// not valid changes nothing: one error line says why, in the words of <c>palisade check</c>. Reloads run one at a
/// time; each reads the file when its turn comes. <c>log.level</c> is applied here, to the host's logger.
/// </summary>
internal sealed partial class ConfigurationReloader(
    FileInfo? file,
    ConfigurationOverrides overrides,
    PalisadeServer server,
    LogLevelSwitch level,
    ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _serial = new(1, 1);
    private bool _stopped;

    private string Source => file?.FullName ?? "the defaults and the environment";

    /// <summary>Reloads; never throws (what goes wrong is logged and the configuration in force stays).</summary>
    public async Task ReloadAsync(CancellationToken cancellation)
    {
        try
        {
            await _serial.WaitAsync(cancellation).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping.
            return;
        }

        try
        {
            if (_stopped)
            {
                return;
            }

            var options = ConfigOption.TryLoad(file, overrides, out string? problem);
            if (options is null)
            {
                LogReloadFailed(logger, Source, problem!);
                return;
            }

            ConfigurationReloadResult result;
            try
            {
                result = await server.ReloadAsync(options, cancellation).ConfigureAwait(false);
            }
            catch (TlsCertificateException exception)
            {
                LogReloadFailed(logger, Source, exception.Message);
                return;
            }

            // After the server took the configuration: a reload that fails changes nothing, the level included.
            level.Set(options.Log.Level);
            foreach (string key in result.RestartRequired)
            {
                LogRestartRequired(logger, key);
            }

            var applied = result.Applied;
            LogReloaded(logger, Source, applied.Count, applied.Count == 1 ? "setting" : "settings", applied.Count == 0 ? "none" : string.Join(", ", applied));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogReloadCrashed(logger, Source, exception);
        }
        finally
        {
            _serial.Release();
        }
    }

    /// <summary>Waits for a reload under way to finish; none starts after this.</summary>
    public async Task StopAsync()
    {
        await _serial.WaitAsync().ConfigureAwait(false);
        _stopped = true;
        _serial.Release();
    }

    public void Dispose() => _serial.Dispose();

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Configuration not reloaded from {Source}; the configuration in force stays: {Problem}")]
    private static partial void LogReloadFailed(ILogger logger, string source, string problem);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Configuration key '{Key}' changed; it takes effect at the next restart")]
    private static partial void LogRestartRequired(ILogger logger, string key);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Configuration reloaded from {Source}: {Count} {Noun} changed: {Keys}")]
    private static partial void LogReloaded(ILogger logger, string source, int count, string noun, string keys);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "Configuration not reloaded from {Source}; the configuration in force stays")]
    private static partial void LogReloadCrashed(ILogger logger, string source, Exception exception);
}
