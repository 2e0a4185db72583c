using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Palisade.Fuzz.Fakes;
using Palisade.Protocol;
using Palisade.Server.Blocklists;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.AccessControl;
using Palisade.Server.Handlers.AnyQuery;
using Palisade.Server.Handlers.Blocking;
using Palisade.Server.Handlers.Caching;
using Palisade.Server.Handlers.Forwarding;
using Palisade.Server.Handlers.RateLimit;
using Palisade.Server.Handlers.Rebinding;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Listeners;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Fuzz.Targets;

/// <summary>
/// The whole pipeline as the server wires it (validation, access control, rate limit, blocking, ANY, cache, rebinding
/// protection, forwarding with the answer scrubber) behind the listeners' dispatcher, with an in-process fake upstream
/// and a fake clock: query octets in, response octets out. The same query is asked five times: upstream, then from the
/// cache, then twice more at once, which over UDP is past the client's rate limit (burst 2: one is slipped, one dropped),
/// then an hour later with the upstream gone (serve-stale).
/// </summary>
/// <remarks>
/// Input: one control octet, a 16-bit query length, the query, then what the fake upstream says in
/// <see cref="FakeUpstreamMode.Raw"/> mode. Control bits: 0 TCP (else UDP); 1 client outside <c>access.allow</c>;
/// 2 for a client outside, <c>access.action: drop</c>, and for one inside, an encrypted transport (bit 0 clear TLS,
/// set HTTPS: their responses are padded); 3-4 the upstream's <see cref="FakeUpstreamMode"/>; 5 CNAME inspection;
/// 6-7 the blocked response (null IP, NXDOMAIN, REFUSED, custom addresses).
/// Invariants: no exception out of the pipeline; each response, when there is one, has the query's ID and QR set,
/// fits the client's UDP size over UDP, is padded over TLS and HTTPS, and parses with our reader unless the upstream's
/// own answer did not; past the rate limit, a UDP client gets at most one response of the two asks, and it is a slip
/// (NOERROR, TC, no records) or the validator's error, never an answer. In raw mode the fuzzer's records reach the
/// scrubber (records that do not answer the question are cut out and the message written anew) and rebinding
/// protection (a private address in an answer, except under <see cref="RebindingAllowed"/>).
/// </remarks>
public static class PipelineTarget
{
    private static readonly IPEndPoint InsideClient = new(IPAddress.Parse("192.168.1.10"), 40000);
    private static readonly IPEndPoint OutsideClient = new(IPAddress.Parse("198.51.100.7"), 40000);
    private static readonly UpstreamOptions UpstreamOptions = new(UpstreamProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.53"), 53));
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Two queries at once, then the limit: the third and fourth asks are over it (one slipped, one dropped).</summary>
    private static readonly RateLimitOptions RateLimit = new() { QueriesPerSecond = 1, Burst = 2 };

    /// <summary>Names whose answers may hold private addresses (rebinding protection lets them through).</summary>
    private const string RebindingAllowed = "home.example";

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

        // The order of PalisadeServer.StartAsync (see PipelineBuilder.Build); a small rate table, as the default one
        // (100,000 clients) would be most of each run's cost.
        var pipeline = PipelineBuilder.Build(
            new ForwardingHandler(resolver),
            next => new AccessControlHandler(access, next),
            next => new RateLimitHandler(new ClientRateTable(RateLimit, clock, capacity: 64), next),
            next => new BlockingHandler(() => Blocklist, blocked, cnameInspection, next),
            next => new AnyQueryHandler(next),
            next => new CacheHandler(cache, next),
            next => new RebindingProtectionHandler(new RebindingAllowList([RebindingAllowed]), new TypedLogger<RebindingProtectionHandler>(logger), next));
        var dispatcher = new QueryDispatcher(pipeline, logger, clock);

        Ask(dispatcher, logger, query, client, transport, primary);
        Ask(dispatcher, logger, query, client, transport, primary);
        var third = Ask(dispatcher, logger, query, client, transport, primary);
        var fourth = Ask(dispatcher, logger, query, client, transport, primary);
        if (transport == DnsTransport.Udp && !outside)
        {
            CheckOverLimit(query, third, fourth);
        }

        clock.Advance(TimeSpan.FromHours(1));
        primary.Mode = FakeUpstreamMode.Unreachable;
        Ask(dispatcher, logger, query, client, transport, primary);
    }

    /// <summary>
    /// Two asks past the limit: each is dropped, slipped (NOERROR, TC, no records) or, for a query the validator rejects
    /// before the limit is consulted, that error; never an answer, and never two slips in a row.
    /// </summary>
    private static void CheckOverLimit(byte[] query, byte[]? third, byte[]? fourth)
    {
        bool thirdSlipped = IsSlipOrRejected(query, third, out bool thirdRejected);
        bool fourthSlipped = IsSlipOrRejected(query, fourth, out bool fourthRejected);
        if (thirdSlipped && fourthSlipped && !thirdRejected && !fourthRejected)
        {
            throw new FuzzInvariantException($"both asks past the rate limit were slipped for {Convert.ToHexString(query)}");
        }
    }

    /// <returns>True when there is a response (a slip or the validator's error); throws when it is anything else.</returns>
    private static bool IsSlipOrRejected(byte[] query, byte[]? response, out bool rejected)
    {
        rejected = false;
        if (response is null)
        {
            return false;
        }

        var code = (DnsResponseCode)(response[3] & 0x0F);
        if (code is DnsResponseCode.FormatError or DnsResponseCode.NotImplemented ||
            (code == DnsResponseCode.NoError && DnsMessageInspector.TryGetOpt(response, out var opt) && opt.ExtendedResponseCode != 0))
        {
            rejected = true;
            return true;
        }

        bool truncated = (response[2] & 0x02) != 0;
        int answers = BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(6));
        int authorities = BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(8));
        if (code != DnsResponseCode.NoError || !truncated || answers != 0 || authorities != 0)
        {
            throw new FuzzInvariantException($"past the rate limit, the response {Convert.ToHexString(response)} to {Convert.ToHexString(query)} is not a slip");
        }

        return true;
    }

    private static byte[]? Ask(QueryDispatcher dispatcher, CapturingLogger logger, byte[] query, IPEndPoint client, DnsTransport transport, FakeUpstreamTransport upstream)
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

        return response;
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
