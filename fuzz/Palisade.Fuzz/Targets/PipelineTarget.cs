using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Palisade.Fuzz.Fakes;
using Palisade.Protocol;
using Palisade.Server.Blocklists;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.AccessControl;
using Palisade.Server.Handlers.Blocking;
using Palisade.Server.Handlers.Caching;
using Palisade.Server.Handlers.Forwarding;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Listeners;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Fuzz.Targets;

/// <summary>
/// The whole pipeline as the server wires it (validation, access control, blocking, cache, forwarding) behind the
/// listeners' dispatcher, with an in-process fake upstream and a fake clock: query octets in, response octets out.
/// The same query is asked three times: upstream, then from the cache, then an hour later with the upstream gone.
/// </summary>
/// <remarks>
/// Input: one control octet, a 16-bit query length, the query, then what the fake upstream says in
/// <see cref="FakeUpstreamMode.Raw"/> mode. Control bits: 0 TCP (else UDP); 1 client outside <c>access.allow</c>;
/// 2 for a client outside, <c>access.action: drop</c>, and for one inside, an encrypted transport (bit 0 clear TLS,
/// set HTTPS: their responses are padded); 3-4 the upstream's <see cref="FakeUpstreamMode"/>; 5 CNAME inspection;
/// 6-7 the blocked response (null IP, NXDOMAIN, REFUSED, custom addresses).
/// Invariants: no exception out of the pipeline; each response, when there is one, has the query's ID and QR set,
/// fits the client's UDP size over UDP, is padded over TLS and HTTPS, and parses with our reader unless the upstream's
/// own answer did not.
/// </remarks>
public static class PipelineTarget
{
    private static readonly IPEndPoint InsideClient = new(IPAddress.Parse("192.168.1.10"), 40000);
    private static readonly IPEndPoint OutsideClient = new(IPAddress.Parse("198.51.100.7"), 40000);
    private static readonly UpstreamOptions UpstreamOptions = new(UpstreamProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.53"), 53));
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A small set with every kind of rule: exact, subtree, allow, important, regex.</summary>
    private static readonly BlocklistSet Blocklist = BlocklistSetBuilder.Build(
    [
        new BlocklistInput("fuzz", "fuzz", Path: null, ["||ads.example^", "blocked.example", "0.0.0.0 host.blocked.example", "@@||ok.ads.example^", "||important.example^$important", "@@||important.example^", "/^track[0-9]+\\./"], Subdomains: false, IsAllowList: false),
        new BlocklistInput("allow", "allow", Path: null, ["allowed.ads.example"], Subdomains: false, IsAllowList: true),
    ]);

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 3)
        {
            return;
        }

        byte control = input[0];
        int queryLength = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(input[1..]), input.Length - 3);
        byte[] query = input.Slice(3, queryLength).ToArray();
        byte[] rawBody = input[(3 + queryLength)..].ToArray();
        bool outside = (control & 2) != 0;
        bool bit2 = (control & 4) != 0;
        var transport = (control & 1, !outside && bit2) switch
        {
            (0, false) => DnsTransport.Udp,
            (_, false) => DnsTransport.Tcp,
            (0, true) => DnsTransport.Tls,
            _ => DnsTransport.Https,
        };
        var client = outside ? OutsideClient : InsideClient;
        var access = new AccessOptions { Action = outside && bit2 ? AccessAction.Drop : AccessAction.Refuse };
        var upstreamMode = (FakeUpstreamMode)((control >> 3) & 3);
        bool cnameInspection = (control & 0x20) != 0;
        var blocked = (control >> 6) switch
        {
            0 => BlockedResponse.NullIp,
            1 => new BlockedResponse(BlockedResponseMode.NxDomain, null, null, 10),
            2 => new BlockedResponse(BlockedResponseMode.Refused, null, null, 10),
            _ => new BlockedResponse(BlockedResponseMode.Address, IPAddress.Parse("192.0.2.99"), IPAddress.Parse("2001:db8::99"), 3600),
        };

        var clock = new FakeTimeProvider(Start);
        var logger = new CapturingLogger();
        var primary = new FakeUpstreamTransport(upstreamMode, rawBody);
        var tcpFallback = new FakeUpstreamTransport(FakeUpstreamMode.Answer, []);
        var upstream = new Upstream(UpstreamOptions, primary, tcpFallback, clock);
        var resolver = new UpstreamResolver([upstream], UpstreamStrategy.Fastest, TimeSpan.FromSeconds(5), clock, logger);
        var cache = new ResponseCache(new CacheOptions { MaxSize = 1_000_000 }, clock);
        var pipeline = PipelineBuilder.Build(
            new ForwardingHandler(resolver),
            next => new AccessControlHandler(access, next),
            next => new BlockingHandler(() => Blocklist, blocked, cnameInspection, next),
            next => new CacheHandler(cache, next));
        var dispatcher = new QueryDispatcher(pipeline, logger, clock);

        Ask(dispatcher, logger, query, client, transport, primary);
        Ask(dispatcher, logger, query, client, transport, primary);
        clock.Advance(TimeSpan.FromHours(1));
        primary.Mode = FakeUpstreamMode.Unreachable;
        Ask(dispatcher, logger, query, client, transport, primary);
    }

    private static void Ask(QueryDispatcher dispatcher, CapturingLogger logger, byte[] query, IPEndPoint client, DnsTransport transport, FakeUpstreamTransport upstream)
    {
        byte[]? response = null;
        var dispatched = dispatcher.DispatchAsync(
            query,
            client,
            transport,
            0,
            (_, octets) =>
            {
                response = octets.ToArray();
                return ValueTask.CompletedTask;
            },
            CancellationToken.None);
        if (!dispatched.IsCompleted)
        {
            dispatched.AsTask().Wait(TimeSpan.FromSeconds(10));
        }
        else
        {
            dispatched.GetAwaiter().GetResult();
        }

        if (logger.Errors.Count > 0)
        {
            throw new FuzzInvariantException($"the pipeline failed on {Convert.ToHexString(query)}", logger.Errors[0]);
        }

        if (!dispatched.IsCompleted)
        {
            throw new FuzzInvariantException($"no answer within 10 s to {Convert.ToHexString(query)}");
        }

        if (response is not null)
        {
            CheckResponse(query, response, transport, mayBeMalformed: upstream.GaveMalformedAnswer);
        }
    }

    private static void CheckResponse(byte[] query, byte[] response, DnsTransport transport, bool mayBeMalformed)
    {
        string what = $"response {Convert.ToHexString(response)} to {Convert.ToHexString(query)}";
        if (response.Length < DnsConstants.HeaderSize)
        {
            throw new FuzzInvariantException($"the {what} is shorter than a header");
        }

        if (response[0] != query[0] || response[1] != query[1])
        {
            throw new FuzzInvariantException($"the {what} does not echo the query's ID");
        }

        if ((response[2] & 0x80) == 0)
        {
            throw new FuzzInvariantException($"the {what} has QR clear");
        }

        if (transport == DnsTransport.Udp && response.Length > MaxUdpSize(query))
        {
            throw new FuzzInvariantException($"the {what} is larger than the client's UDP size {MaxUdpSize(query)}");
        }

        if (mayBeMalformed)
        {
            return;
        }

        // RFC 8467 s4.1: an EDNS response on an encrypted transport is padded to a multiple of 468 octets.
        if (transport is DnsTransport.Tls or DnsTransport.Https && DnsMessageInspector.TryGetOpt(query, out _) &&
            response.Length % 468 != 0 && response.Length <= ushort.MaxValue - 472)
        {
            throw new FuzzInvariantException($"the {what} over {transport} is not padded to a multiple of 468");
        }

        try
        {
            DnsMessage.Parse(response);
        }
        catch (DnsProtocolException exception)
        {
            throw new FuzzInvariantException($"the {what} does not parse", exception);
        }
    }

    /// <summary>RFC 6891 s6.2.5: the client's EDNS payload size (at least 512), capped at the 1232 we advertise; 512 without EDNS.</summary>
    private static int MaxUdpSize(byte[] query) =>
        DnsMessageInspector.TryGetOpt(query, out var opt)
            ? Math.Min(opt.EffectiveUdpPayloadSize, DnsConstants.AdvertisedUdpPayloadSize)
            : DnsConstants.ClassicUdpPayloadSize;
}
