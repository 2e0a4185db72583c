using System.Net;
using Microsoft.Extensions.Logging;
using Palisade.Server.Configuration;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Handlers.AccessControl;

/// <summary>
/// The networks whose clients may query: <c>access.allow</c> as written, or, when it is the default, the private
/// networks and this machine's own networks (<see cref="ILocalNetworkSource"/>), read at start, again when the source
/// says the interfaces changed, and every minute in case word of a change never comes (some containers). A change builds
/// a new array off to the side and swaps it in, so that <see cref="Contains"/> on the query path takes no lock and
/// allocates nothing.
/// </summary>
public sealed partial class AccessList : IPipelinePart, IDisposable
{
    private static readonly TimeSpan RereadInterval = TimeSpan.FromMinutes(1);

    private readonly IReadOnlyList<IPNetwork> _configured;
    private readonly ILocalNetworkSource? _source;
    private readonly ILogger _logger;
    private readonly ITimer? _timer;
    private readonly Lock _lock = new();
    private volatile Snapshot _current;

    private AccessList(IReadOnlyList<IPNetwork> configured, ILocalNetworkSource? source, TimeProvider timeProvider, ILogger logger)
    {
        _configured = configured;
        _source = source;
        _logger = logger;
        _current = Build(source?.GetNetworks() ?? []);
        if (source is not null)
        {
            source.Changed += OnChanged;
            _timer = timeProvider.CreateTimer(static state => ((AccessList)state!).RereadInBackground(), this, RereadInterval, RereadInterval);
        }
    }

    /// <summary>
    /// This machine's networks now allowed, or null when <c>access.allow</c> was written in the configuration and is used
    /// as it stands.
    /// </summary>
    public IReadOnlyList<IPNetwork>? LocalNetworks => _source is null ? null : _current.Local;

    /// <summary>
    /// The access list for <paramref name="options"/>: with <paramref name="localNetworks"/> (which it then owns and
    /// disposes) only when <c>access.allow</c> is the default.
    /// </summary>
    public static AccessList Create(AccessOptions options, ILocalNetworkSource? localNetworks, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!options.IsDefaultAllow)
        {
            (localNetworks as IDisposable)?.Dispose();
            localNetworks = null;
        }

        return new AccessList(options.Allow, localNetworks, timeProvider, logger);
    }

    /// <summary><paramref name="networks"/> and nothing else, never read again.</summary>
    public static AccessList Fixed(IReadOnlyList<IPNetwork> networks) =>
        new(networks, source: null, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    /// <summary>Is a client at <paramref name="address"/> allowed? IPv4 addresses mapped into IPv6 count as IPv4.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _current.All)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads this machine's networks again and swaps them in when they differ, saying so in the log.</summary>
    public void Reread()
    {
        if (_source is null)
        {
            return;
        }

        lock (_lock)
        {
            var local = _source.GetNetworks();
            if (local.SequenceEqual(_current.Local))
            {
                return;
            }

            _current = Build(local);
            if (_logger.IsEnabled(LogLevel.Information))
            {
                string networks = Describe(local);
                LogLocalNetworksChanged(_logger, networks);
            }
        }
    }

    Task IPipelinePart.ReleaseAsync(CancellationToken stopping)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _timer?.Dispose();
        if (_source is not null)
        {
            _source.Changed -= OnChanged;
            (_source as IDisposable)?.Dispose();
        }
    }

    /// <summary>A list of networks for a log line; "none" when empty.</summary>
    internal static string Describe(IReadOnlyList<IPNetwork> networks) =>
        networks.Count == 0 ? "none" : string.Join(", ", networks);

    private Snapshot Build(IReadOnlyList<IPNetwork> local) => new([.. _configured, .. local], local);

    private void OnChanged(object? sender, EventArgs e) => RereadInBackground();

    /// <summary>On a timer's or the system's thread, where an exception would end the process: the list in force stays.</summary>
    private void RereadInBackground()
    {
        try
        {
            Reread();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogRereadFailed(_logger, exception);
        }
    }

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "access: this machine's networks are now {Networks}; clients on them may query")]
    private static partial void LogLocalNetworksChanged(ILogger logger, string networks);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "access: this machine's networks could not be read again; the ones read before stay allowed")]
    private static partial void LogRereadFailed(ILogger logger, Exception exception);

    /// <summary>One immutable state: every network allowed, and which of them are this machine's.</summary>
    private sealed record Snapshot(IPNetwork[] All, IReadOnlyList<IPNetwork> Local);
}
