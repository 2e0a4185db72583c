using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Palisade.Protocol;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// Looks up the addresses of upstreams written as host names (<c>https://dns.quad9.net/dns-query</c>) through the
/// <c>bootstrap</c> servers, over plain UDP, and for nothing else. Answers are kept for their TTL (at least a minute, at
/// most an hour); when a new lookup fails, the last addresses found go on being used.
/// </summary>
public sealed partial class BootstrapResolver(IReadOnlyList<IPEndPoint> servers, TimeProvider timeProvider, ILogger logger)
{
    private static readonly TimeSpan MinTtl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxTtl = TimeSpan.FromHours(1);
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>The addresses of <paramref name="host"/>, IPv4 first; throws <see cref="UpstreamException"/> when none is known.</summary>
    public async ValueTask<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellation)
    {
        Entry? known;
        lock (_lock)
        {
            _entries.TryGetValue(host, out known);
        }

        if (known is not null && timeProvider.GetUtcNow() < known.Expires)
        {
            return known.Addresses;
        }

        string? problem = null;
        foreach (var server in servers)
        {
            try
            {
                var (addresses, ttl) = await LookUpAsync(server, host, cancellation).ConfigureAwait(false);
                if (addresses.Count == 0)
                {
                    problem = $"{server} knows no address for {host}";
                    continue;
                }

                var entry = new Entry(addresses, timeProvider.GetUtcNow() + Clamp(ttl));
                lock (_lock)
                {
                    _entries[host] = entry;
                }

                return addresses;
            }
            catch (Exception exception) when (exception is UpstreamException or OperationCanceledException && !cancellation.IsCancellationRequested)
            {
                problem = $"{server}: {(exception is OperationCanceledException ? "no answer in time" : exception.Message)}";
            }
            catch (DnsProtocolException exception)
            {
                problem = $"{server} sent a malformed answer ({exception.Message})";
            }
        }

        if (known is not null)
        {
            LogUsingLastKnown(logger, host, problem ?? "no bootstrap server");
            return known.Addresses;
        }

        throw new UpstreamException($"could not look up {host} through the bootstrap servers ({problem ?? "none is configured"})");
    }

    private static async Task<(IReadOnlyList<IPAddress> Addresses, TimeSpan Ttl)> LookUpAsync(IPEndPoint server, string host, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(QueryTimeout);
        var name = DnsName.Parse(host);
        var transport = new UdpUpstreamTransport(server);
        var v4 = AskAsync(transport, name, DnsRecordType.A, timeout.Token);
        var v6 = AskAsync(transport, name, DnsRecordType.AAAA, timeout.Token);
        var answers = await Task.WhenAll(v4, v6).ConfigureAwait(false);
        var addresses = new List<IPAddress>();
        uint ttl = uint.MaxValue;
        foreach (var message in answers)
        {
            foreach (var record in message.Answers)
            {
                if (record.Data is AddressRecordData address &&
                    address.Address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                {
                    addresses.Add(address.Address);
                    ttl = Math.Min(ttl, record.Ttl);
                }
            }
        }

        return (addresses, TimeSpan.FromSeconds(ttl == uint.MaxValue ? 0 : ttl));
    }

    private static async Task<DnsMessage> AskAsync(UdpUpstreamTransport transport, DnsName name, DnsRecordType type, CancellationToken cancellation)
    {
        byte[] query = new byte[UpstreamQuery.MaxLength];
        int length = UpstreamQuery.Write(query, new UpstreamQuestion(name.WireBytes.ToArray(), type, DnsClass.IN, DnssecOk: false, CheckingDisabled: false));
        var response = await transport.ExchangeAsync(query.AsMemory(0, length), cancellation).ConfigureAwait(false);
        try
        {
            return DnsMessage.Parse(response.Span);
        }
        finally
        {
            response.Release();
        }
    }

    private static TimeSpan Clamp(TimeSpan ttl) => ttl < MinTtl ? MinTtl : ttl > MaxTtl ? MaxTtl : ttl;

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Could not look up {Host} again ({Problem}); using the addresses found before")]
    private static partial void LogUsingLastKnown(ILogger logger, string host, string problem);

    private sealed record Entry(IReadOnlyList<IPAddress> Addresses, DateTimeOffset Expires);
}
