using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Palisade.Doh;
using Palisade.Server;
using Palisade.Server.Configuration;
using Palisade.Server.Transport.Listeners;
using Palisade.Server.Transport.Tls;

namespace Palisade.Commands;

/// <summary>
/// <c>palisade serve</c>: runs the DNS server in the foreground until SIGINT or SIGTERM, then stops gracefully and
/// exits 0. A bad configuration exits 2, an address that cannot be bound exits 1, each with a one-line reason.
/// </summary>
internal static partial class ServeCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var listen = new Option<string[]>("--listen")
        {
            Description = "Serve UDP and TCP on ADDR:PORT ([::1]:5354 for IPv6); repeat for several. Replaces 'listen' from the file.",
            Arity = ArgumentArity.OneOrMore,
        };
        var upstream = new Option<string[]>("--upstream")
        {
            Description = "Forward to this upstream: tls://IP#NAME, https://HOST/dns-query, udp://IP:PORT, tcp://IP:PORT or a bare IP; repeat for several. Replaces 'upstreams' from the file.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("serve", "Run the DNS server in the foreground.") { config, listen, upstream };
        command.SetAction((result, cancellation) => RunAsync(
            result.GetValue(config),
            new ConfigurationOverrides { Listen = result.GetValue(listen) ?? [], Upstreams = result.GetValue(upstream) ?? [] },
            result.InvocationConfiguration.Error));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? configFile, ConfigurationOverrides overrides, TextWriter error)
    {
        var options = ConfigOption.TryLoad(configFile, overrides, error);
        if (options is null)
        {
            return 2;
        }

        // The level is read on every line, so that a reload can change it (log.level applies on SIGHUP).
        var level = new LogLevelSwitch(options.Log.Level);
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Trace)
            .AddFilter((_, _, l) => level.Allows(l))

            // Kestrel's own chatter (the DNS-over-HTTPS endpoint) only when something is wrong.
            .AddFilter("Microsoft", l => l >= LogLevel.Warning && level.Allows(l))
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
                console.UseUtcTimestamp = true;
            }));
        var logger = loggerFactory.CreateLogger("Palisade");

        using var stopping = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        ConfigurationReloader? reloader = null;

        // SIGHUP: read the configuration file again and apply it (see ConfigurationReloader); a broken one changes nothing.
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            if (Volatile.Read(ref reloader) is { } ready && !stopping.IsCancellationRequested)
            {
                _ = ready.ReloadAsync(stopping.Token);
            }
        });

        PalisadeServer server;
        try
        {
            server = await PalisadeServer.StartAsync(options, TimeProvider.System, loggerFactory).ConfigureAwait(false);
        }
        catch (ListenerBindException exception)
        {
            await error.WriteLineAsync($"palisade: {exception.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (TlsCertificateException exception)
        {
            await error.WriteLineAsync($"palisade: {exception.Message}").ConfigureAwait(false);
            return 2;
        }

        using var reloads = new ConfigurationReloader(configFile, overrides, server, level, logger);
        Volatile.Write(ref reloader, reloads);
        await using (server.ConfigureAwait(false))
        {
            DohServer? doh = null;
            if (options.HttpsListen.Count > 0)
            {
                try
                {
                    doh = await DohServer.StartAsync(options.HttpsListen, server, server.Certificate!, loggerFactory).ConfigureAwait(false);
                }
                catch (IOException exception)
                {
                    await error.WriteLineAsync($"palisade: cannot serve DNS over HTTPS on {string.Join(", ", options.HttpsListen)}: {exception.Message}").ConfigureAwait(false);
                    await server.StopAsync().ConfigureAwait(false);
                    return 1;
                }
            }

            try
            {
                await Task.Delay(Timeout.Infinite, stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            LogStopping(logger);
            await reloads.StopAsync().ConfigureAwait(false);
            if (doh is not null)
            {
                await doh.StopAsync().ConfigureAwait(false);
                await doh.DisposeAsync().ConfigureAwait(false);
            }

            await server.StopAsync().ConfigureAwait(false);
        }

        return 0;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Stopping: finishing the queries in flight")]
    private static partial void LogStopping(ILogger logger);
}
