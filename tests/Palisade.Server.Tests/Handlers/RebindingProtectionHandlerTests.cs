using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Palisade.Protocol;
using Palisade.Server.Handlers.Rebinding;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Tests.Handlers;

public sealed class RebindingProtectionHandlerTests
{
    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("10.255.255.255", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("172.15.255.255", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.10", true)]
    [InlineData("192.169.0.1", false)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.0.9", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("169.253.0.1", false)]
    [InlineData("0.0.0.0", true)]
    [InlineData("0.1.2.3", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("100.127.255.255", true)]
    [InlineData("100.63.255.255", false)]
    [InlineData("100.128.0.1", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("198.51.100.7", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("1.1.1.1", false)]
    [InlineData("::", true)]
    [InlineData("::1", true)]
    [InlineData("::2", false)]
    [InlineData("fc00::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fdff:ffff::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("febf:ffff::1", true)]
    [InlineData("fec0::1", false)]
    [InlineData("fb00::1", false)]
    [InlineData("::ffff:192.168.1.1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:0.0.0.0", true)]
    [InlineData("::ffff:8.8.8.8", false)]
    [InlineData("::1:0:0:1", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("2606:4700:4700::1111", false)]
    public void PrivateAddresses_AsTheListSays(string address, bool isPrivate)
    {
        var parsed = IPAddress.Parse(address);
        byte[] octets = parsed.GetAddressBytes();
        Assert.Equal(isPrivate, octets.Length == 4 ? PrivateAddresses.IsPrivateIPv4(octets) : PrivateAddresses.IsPrivateIPv6(octets));
    }

    [Theory]
    [InlineData("192.168.1.10", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("192.0.2.1", false)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("2001:db8::1", false)]
    public async Task AddressAnswer_PrivateBlocked_PublicPassed(string address, bool blocked)
    {
        var ip = IPAddress.Parse(address);
        var type = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? DnsRecordType.A : DnsRecordType.AAAA;
        var answer = await AskAsync("rebind.example", type, Address("rebind.example", address));

        Assert.Equal(blocked ? AnswerSource.Blocked : AnswerSource.Upstream, answer.Source);
        if (blocked)
        {
            AssertEmptyBlockedAnswer(answer, "rebind.example", type);
        }
        else
        {
            Assert.Equal(address, Assert.Single(answer.Response.Answers).Data.ToString());
        }
    }

    [Fact]
    public async Task OnePrivateAmongPublic_WholeAnswerBlocked()
    {
        var answer = await AskAsync(
            "multi.example",
            DnsRecordType.A,
            Address("multi.example", "192.0.2.1"),
            Address("multi.example", "192.0.2.2"),
            Address("multi.example", "10.1.1.1"));

        AssertEmptyBlockedAnswer(answer, "multi.example", DnsRecordType.A);
    }

    [Fact]
    public async Task CnameChainToPrivateAddress_Blocked()
    {
        var answer = await AskAsync(
            "www.evil.example",
            DnsRecordType.A,
            new DnsResourceRecord(DnsName.Parse("www.evil.example"), 60, new CnameRecordData(DnsName.Parse("nas.home.arpa"))),
            Address("nas.home.arpa", "192.168.1.5"));

        AssertEmptyBlockedAnswer(answer, "www.evil.example", DnsRecordType.A);
    }

    [Theory]
    [InlineData(SvcParamKey.Ipv4Hint, "192.0.2.1,10.0.0.1", true)]
    [InlineData(SvcParamKey.Ipv4Hint, "192.0.2.1,192.0.2.2", false)]
    [InlineData(SvcParamKey.Ipv6Hint, "2001:db8::1,fe80::1", true)]
    [InlineData(SvcParamKey.Ipv6Hint, "::ffff:172.16.5.4", true)]
    [InlineData(SvcParamKey.Ipv6Hint, "2001:db8::1", false)]
    public async Task HttpsAndSvcbHints_PrivateBlocked(SvcParamKey key, string hints, bool blocked)
    {
        foreach (var type in new[] { DnsRecordType.HTTPS, DnsRecordType.SVCB })
        {
            var answer = await AskAsync("svc.example", type, Service("svc.example", type, key, hints));
            Assert.Equal(blocked ? AnswerSource.Blocked : AnswerSource.Upstream, answer.Source);
        }
    }

    [Fact]
    public async Task HttpsWithOtherParamsBeforeTheHint_Found()
    {
        var https = new DnsResourceRecord(DnsName.Parse("svc.example"), 60, new SvcbRecordData(
            DnsRecordType.HTTPS,
            1,
            DnsName.Parse("pool.svc.example"),
            [
                new SvcParam(SvcParamKey.Alpn, [2, (byte)'h', (byte)'2', 2, (byte)'h', (byte)'3']),
                new SvcParam(SvcParamKey.Port, [0x01, 0xBB]),
                new SvcParam(SvcParamKey.Ipv4Hint, IPAddress.Parse("192.168.0.20").GetAddressBytes()),
            ]));

        var answer = await AskAsync("svc.example", DnsRecordType.HTTPS, https);

        Assert.Equal(AnswerSource.Blocked, answer.Source);
    }

    [Fact]
    public async Task PrivateAddressOutsideTheAnswerSection_Passed()
    {
        // Glue in the additional section is not what the client asked for (and not used by stubs).
        var answer = await AskAsync(
            "example.test",
            DnsRecordType.NS,
            [new DnsResourceRecord(DnsName.Parse("example.test"), 60, new NsRecordData(DnsName.Parse("ns1.example.test")))],
            additionals: [Address("ns1.example.test", "10.0.0.53")]);

        Assert.Equal(AnswerSource.Upstream, answer.Source);
    }

    [Fact]
    public async Task NxDomain_Passed()
    {
        var answer = await AskAsync("gone.example", DnsRecordType.A, [], code: DnsResponseCode.NameError);

        Assert.Equal(AnswerSource.Upstream, answer.Source);
        Assert.Equal(DnsResponseCode.NameError, answer.Response.ResponseCode);
    }

    [Theory]
    [InlineData("home.arpa", "home.arpa", false)]
    [InlineData("home.arpa", "nas.home.arpa", false)]
    [InlineData("home.arpa", "a.b.NAS.Home.Arpa", false)]
    [InlineData("home.arpa", "myhome.arpa", true)]
    [InlineData("home.arpa", "home.arpa.evil.example", true)]
    [InlineData("nas.home.arpa", "home.arpa", true)]
    [InlineData("corp.example", "vpn.corp.example", false)]
    public async Task RebindingAllow_NameAndSubdomainsExempt(string allowed, string name, bool blocked)
    {
        var answer = await AskAsync(name, DnsRecordType.A, [Address(name, "192.168.1.10")], allow: ["other.example", allowed]);

        Assert.Equal(blocked ? AnswerSource.Blocked : AnswerSource.Upstream, answer.Source);
    }

    [Fact]
    public async Task RebindingAllow_CnameTargetAllowed_QuestionIsWhatCounts()
    {
        var answer = await AskAsync(
            "www.evil.example",
            DnsRecordType.A,
            [
                new DnsResourceRecord(DnsName.Parse("www.evil.example"), 60, new CnameRecordData(DnsName.Parse("nas.home.arpa"))),
                Address("nas.home.arpa", "192.168.1.5"),
            ],
            allow: ["home.arpa"]);

        Assert.Equal(AnswerSource.Blocked, answer.Source);
    }

    [Fact]
    public async Task Blocked_OneDebugLineNamingTheNameAndAddress()
    {
        var logger = new RecordingLogger();
        await AskAsync("rebind.example", DnsRecordType.A, [Address("rebind.example", "192.168.1.10")], logger: logger);
        await AskAsync("public.example", DnsRecordType.A, [Address("public.example", "192.0.2.1")], logger: logger);

        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Debug, line.Level);
        Assert.Contains("rebind.example", line.Message, StringComparison.Ordinal);
        Assert.Contains("192.168.1.10", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnBlockedAnswers_AreNotInspected()
    {
        // A 0.0.0.0 answer made by Palisade itself (the blocking handler's null IP) is not an upstream answer.
        var handler = new RebindingProtectionHandler(new RebindingAllowList([]), new RecordingLogger(), new FixedAnswer(AnswerSource.Blocked, Address("ads.example", "0.0.0.0")));
        var result = await handler.HandleAsync(Context("ads.example", DnsRecordType.A));
        try
        {
            Assert.Equal(AnswerSource.Blocked, result.Source);
            Assert.Equal("0.0.0.0", Assert.Single(DnsMessage.Parse(result.Response).Answers).Data.ToString());
        }
        finally
        {
            result.Release();
        }
    }

    [Fact]
    public async Task StoppedAnswers_OneSummaryLineAMinuteAtInfo()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logger = new Blocklists.Sources.RecordingLogger<RebindingSummary>();
        using var summary = new RebindingSummary(time, logger);
        var handler = new RebindingProtectionHandler(new RebindingAllowList([]), summary, new RecordingLogger(), new FixedAnswer(AnswerSource.Upstream, Address("nas.home.arpa", "192.168.1.10")));
        for (int i = 0; i < 4; i++)
        {
            (await handler.HandleAsync(Context("nas.home.arpa", DnsRecordType.A))).Release();
        }

        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(
            [
                "Rebinding protection stopped 1 answer (first: nas.home.arpa → 192.168.1.10); allow the name with security.rebindingAllow or forward the domain",
                "Rebinding protection stopped 3 answers (first: nas.home.arpa → 192.168.1.10); allow the name with security.rebindingAllow or forward the domain",
            ],
            logger.At(LogLevel.Information));
        Assert.All(logger.Lines, l => Assert.Equal(511, l.EventId));
    }

    [Theory]
    [InlineData(AnswerSource.Cache)]
    [InlineData(AnswerSource.Stale)]
    public async Task CachedAnswers_InspectedToo(AnswerSource source)
    {
        var handler = new RebindingProtectionHandler(new RebindingAllowList([]), new RecordingLogger(), new FixedAnswer(source, Address("rebind.example", "10.0.0.1")));
        var result = await handler.HandleAsync(Context("rebind.example", DnsRecordType.A));
        Assert.Equal(AnswerSource.Blocked, result.Source);
        result.Release();
    }

    [Fact]
    public void TryFindPrivateAddress_PublicAnswer_AllocatesNothing()
    {
        byte[] message = Response(
            "www.example.test",
            DnsRecordType.A,
            [
                new DnsResourceRecord(DnsName.Parse("www.example.test"), 60, new CnameRecordData(DnsName.Parse("cdn.example.net"))),
                Address("cdn.example.net", "192.0.2.1"),
                Address("cdn.example.net", "198.51.100.2"),
            ],
            additionals: [Address("ns.example.net", "10.0.0.1")]);
        var allow = new RebindingAllowList(["home.arpa"]);
        byte[] name = DnsName.Parse("www.example.test").WireBytes.ToArray();

        Assert.False(RebindingProtectionHandler.TryFindPrivateAddress(message, out _, out _));
        Assert.False(allow.Contains(name));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            RebindingProtectionHandler.TryFindPrivateAddress(message, out _, out _);
            allow.Contains(name);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void TryFindPrivateAddress_ReportsWhereTheAddressIs()
    {
        byte[] message = Response("x.example", DnsRecordType.A, [Address("x.example", "192.0.2.9"), Address("x.example", "172.20.1.2")]);

        Assert.True(RebindingProtectionHandler.TryFindPrivateAddress(message, out int offset, out int length));
        Assert.Equal(4, length);
        Assert.Equal(IPAddress.Parse("172.20.1.2"), new IPAddress(message.AsSpan(offset, length)));
    }

    [Fact]
    public void TryFindPrivateAddress_MalformedMessages_NoThrow()
    {
        byte[] message = Response("x.example", DnsRecordType.A, [Address("x.example", "10.0.0.1")]);
        for (int cut = 0; cut < message.Length; cut++)
        {
            RebindingProtectionHandler.TryFindPrivateAddress(message.AsSpan(0, cut), out _, out _);
        }

        byte[] https = Response("svc.example", DnsRecordType.HTTPS, [Service("svc.example", DnsRecordType.HTTPS, SvcParamKey.Ipv4Hint, "10.0.0.1")]);
        for (int i = DnsConstants.HeaderSize; i < https.Length; i++)
        {
            byte[] broken = (byte[])https.Clone();
            broken[i] ^= 0xFF;
            RebindingProtectionHandler.TryFindPrivateAddress(broken, out _, out _);
        }
    }

    private static void AssertEmptyBlockedAnswer((DnsMessage Response, AnswerSource Source, ExtendedDnsErrorCode? Ede) answer, string name, DnsRecordType type)
    {
        Assert.Equal(AnswerSource.Blocked, answer.Source);
        Assert.Equal(ExtendedDnsErrorCode.Blocked, answer.Ede);
        Assert.Equal(DnsResponseCode.NoError, answer.Response.ResponseCode);
        Assert.Equal(9, answer.Response.Header.Id);
        Assert.True(answer.Response.Header.RecursionAvailable);
        var question = Assert.Single(answer.Response.Questions);
        Assert.True(question.Name.EqualsExact(DnsName.Parse(name)));
        Assert.Equal(type, question.Type);
        Assert.Empty(answer.Response.Answers);
        Assert.Empty(answer.Response.Authorities);
        Assert.Empty(answer.Response.Additionals);
    }

    private static DnsResourceRecord Address(string name, string address)
    {
        var ip = IPAddress.Parse(address);
        DnsRecordData data = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? new ARecordData(ip) : new AaaaRecordData(ip);
        return new DnsResourceRecord(DnsName.Parse(name), 60, data);
    }

    private static DnsResourceRecord Service(string name, DnsRecordType type, SvcParamKey key, string hints)
    {
        byte[] value = [.. hints.Split(',').SelectMany(h => IPAddress.Parse(h).GetAddressBytes())];
        return new DnsResourceRecord(DnsName.Parse(name), 60, new SvcbRecordData(type, 1, DnsName.Root, [new SvcParam(key, value)]));
    }

    private static Task<(DnsMessage Response, AnswerSource Source, ExtendedDnsErrorCode? Ede)> AskAsync(string name, DnsRecordType type, params DnsResourceRecord[] answers) =>
        AskAsync(name, type, answers, additionals: []);

    private static async Task<(DnsMessage Response, AnswerSource Source, ExtendedDnsErrorCode? Ede)> AskAsync(
        string name,
        DnsRecordType type,
        DnsResourceRecord[] answers,
        DnsResourceRecord[]? additionals = null,
        DnsResponseCode code = DnsResponseCode.NoError,
        string[]? allow = null,
        ILogger<RebindingProtectionHandler>? logger = null)
    {
        var context = Context(name, type);
        var upstream = new FixedAnswer(AnswerSource.Upstream, Response(name, type, answers, additionals ?? [], code));
        var pipeline = PipelineBuilder.Build(
            upstream,
            next => new RebindingProtectionHandler(new RebindingAllowList(allow ?? []), logger ?? new RecordingLogger(), next));
        var result = await pipeline.HandleAsync(context);
        try
        {
            return (DnsMessage.Parse(result.Response), result.Source, result.ExtendedError);
        }
        finally
        {
            result.Release();
        }
    }

    private static QueryContext Context(string name, DnsRecordType type)
    {
        byte[] query = new DnsMessage { Header = new DnsHeader { Id = 9, RecursionDesired = true }, Questions = { new DnsQuestion(DnsName.Parse(name), type) } }.ToArray();
        DnsHeader.TryRead(query, out var header);
        var context = new QueryContext(query, new IPEndPoint(IPAddress.Loopback, 4000), DnsTransport.Udp, CancellationToken.None) { Header = header };

        // What validation does in the pipeline: read the question into the context.
        var reader = new DnsMessageReader(query) { Position = DnsConstants.HeaderSize };
        reader.TryReadQuestion(context.NameBuffer, out var question);
        context.Question = question;
        return context;
    }

    private static byte[] Response(string name, DnsRecordType type, DnsResourceRecord[] answers, DnsResourceRecord[]? additionals = null, DnsResponseCode code = DnsResponseCode.NoError)
    {
        var response = new DnsMessage
        {
            Header = new DnsHeader { Id = 9, IsResponse = true, RecursionDesired = true, RecursionAvailable = true },
            Questions = { new DnsQuestion(DnsName.Parse(name), type) },
        };
        response.ResponseCode = code;
        response.Answers.AddRange(answers);
        response.Additionals.AddRange(additionals ?? []);
        return response.ToArray();
    }

    /// <summary>Returns the same answer, marked as coming from <c>source</c>, to every query.</summary>
    private sealed class FixedAnswer(AnswerSource source, byte[] answer) : IQueryHandler
    {
        public FixedAnswer(AnswerSource source, DnsResourceRecord record)
            : this(source, Response(record.Name.ToString(), record.Type, [record]))
        {
        }

        public ValueTask<QueryResult> HandleAsync(QueryContext context)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(answer.Length);
            answer.CopyTo(buffer, 0);
            return ValueTask.FromResult(QueryResult.FromPooled(buffer, answer.Length, source));
        }
    }

    private sealed class RecordingLogger : ILogger<RebindingProtectionHandler>
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
