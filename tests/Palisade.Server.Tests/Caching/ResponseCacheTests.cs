using Microsoft.Extensions.Time.Testing;
using Palisade.Protocol;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;

namespace Palisade.Server.Tests.Caching;

public sealed class ResponseCacheTests
{
    private static readonly CacheOptions NoStale = new() { ServeStale = false };

    private readonly FakeTimeProvider _time = new();
    private readonly byte[] _buffer = new byte[DnsConstants.MaxMessageSize];

    [Fact]
    public void Lookup_Empty_IsMiss()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var result = cache.Lookup(CacheMessages.Key(CacheMessages.Query()), _buffer, out int written);
        Assert.Equal(CacheStatus.Miss, result.Status);
        Assert.False(result.IsHit);
        Assert.Equal(0, written);
    }

    [Fact]
    public void Lookup_AnyCaseFindsEntry_AndKeepsTheStoredOctets()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var response = CacheMessages.Answer("www.example.com", 300);
        Assert.True(cache.TryStore(CacheMessages.Key(CacheMessages.Query("www.example.com")), response));

        var result = cache.Lookup(CacheMessages.Key(CacheMessages.Query("WWW.EXAMPLE.COM")), _buffer, out int written);
        Assert.Equal(new CacheLookup(CacheStatus.Fresh, false), result);
        Assert.Equal(response, _buffer[..written]);
    }

    [Fact]
    public void Lookup_DoBitSeparatesEntries()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        Assert.True(cache.TryStore(CacheMessages.Key(CacheMessages.Query(dnssecOk: true)), CacheMessages.Answer("www.example.com", 300)));
        Assert.Equal(CacheStatus.Miss, cache.Lookup(CacheMessages.Key(CacheMessages.Query()), _buffer, out _).Status);
        Assert.Equal(CacheStatus.Fresh, cache.Lookup(CacheMessages.Key(CacheMessages.Query(dnssecOk: true)), _buffer, out _).Status);
    }

    [Fact]
    public void TryStore_CopiesTheResponse()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var response = CacheMessages.Answer("www.example.com", 300);
        var original = response.ToArray();
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, response));
        Array.Clear(response);
        cache.Lookup(key, _buffer, out int written);
        Assert.Equal(original, _buffer[..written]);
    }

    [Fact]
    public void Lookup_LowersTtlsByTheTimeInCache_RoundingUp()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 300, 300)));

        _time.Advance(TimeSpan.FromSeconds(100));
        cache.Lookup(key, _buffer, out int written);
        Assert.Equal([200u, 200u], CacheMessages.Ttls(_buffer.AsSpan(0, written)));

        _time.Advance(TimeSpan.FromMilliseconds(500));
        cache.Lookup(key, _buffer, out written);
        Assert.Equal([199u, 199u], CacheMessages.Ttls(_buffer.AsSpan(0, written)));
    }

    [Fact]
    public void TryStore_LowestAnswerTtlIsTheLifetimeOfAll()
    {
        var cache = new ResponseCache(NoStale, _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 3600, 60, 600)));

        cache.Lookup(key, _buffer, out int written);
        Assert.Equal([60u, 60u, 60u], CacheMessages.Ttls(_buffer.AsSpan(0, written)));

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(CacheStatus.Fresh, cache.Lookup(key, _buffer, out written).Status);
        Assert.Equal([1u, 1u, 1u], CacheMessages.Ttls(_buffer.AsSpan(0, written)));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CacheStatus.Miss, cache.Lookup(key, _buffer, out _).Status);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void TryStore_ShorterTtlsOutsideTheAnswerAreKept()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var message = CacheMessages.AnswerMessage("www.example.com", 300);
        message.Additionals.Add(new DnsResourceRecord(Protocol.DnsName.Parse("ns.example.com"), 20, new ARecordData(System.Net.IPAddress.Loopback)));
        message.Additionals.Add(new DnsResourceRecord(Protocol.DnsName.Parse("ns2.example.com"), 9000, new ARecordData(System.Net.IPAddress.Loopback)));
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, message.ToArray()));

        _time.Advance(TimeSpan.FromSeconds(50));
        cache.Lookup(key, _buffer, out int written);
        Assert.Equal([250u, 0u, 250u], CacheMessages.Ttls(_buffer.AsSpan(0, written)));
    }

    [Fact]
    public void Lookup_Expired_ServeStaleOff_IsMissAndDropped()
    {
        var cache = new ResponseCache(NoStale, _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 60)));
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(CacheStatus.Miss, cache.Lookup(key, _buffer, out int written).Status);
        Assert.Equal(0, written);
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.SizeInBytes);
    }

    [Fact]
    public void Lookup_Expired_ServeStale_IsStaleWithTtl30_UntilStaleMaxAge()
    {
        var cache = new ResponseCache(new CacheOptions { ServeStale = true, StaleMaxAge = TimeSpan.FromHours(1) }, _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 60, 120)));

        _time.Advance(TimeSpan.FromSeconds(60));
        var result = cache.Lookup(key, _buffer, out int written);
        Assert.Equal(new CacheLookup(CacheStatus.Stale, false), result);
        Assert.Equal([30u, 30u], CacheMessages.Ttls(_buffer.AsSpan(0, written)));

        _time.Advance(TimeSpan.FromSeconds(3599));
        Assert.Equal(CacheStatus.Stale, cache.Lookup(key, _buffer, out _).Status);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CacheStatus.Miss, cache.Lookup(key, _buffer, out _).Status);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void TryStore_NxDomain_LivesForTheSoaNegativeTtl()
    {
        var cache = new ResponseCache(NoStale, _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Negative(DnsResponseCode.NameError, soaTtl: 3600, minimum: 900)));

        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(CacheStatus.Fresh, cache.Lookup(key, _buffer, out int written).Status);
        Assert.Equal(DnsResponseCode.NameError, Protocol.DnsMessage.Parse(_buffer.AsSpan(0, written)).ResponseCode);
        Assert.Equal([800u], CacheMessages.Ttls(_buffer.AsSpan(0, written)));

        _time.Advance(TimeSpan.FromSeconds(800));
        Assert.Equal(CacheStatus.Miss, cache.Lookup(key, _buffer, out _).Status);
    }

    [Fact]
    public void TryStore_Negative_CappedByNegativeMaxTtl()
    {
        var cache = new ResponseCache(NoStale with { NegativeMaxTtl = TimeSpan.FromSeconds(300) }, _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Negative(DnsResponseCode.NameError, soaTtl: 3600, minimum: 3600)));

        cache.Lookup(key, _buffer, out int written);
        Assert.Equal([300u], CacheMessages.Ttls(_buffer.AsSpan(0, written)));
        _time.Advance(TimeSpan.FromSeconds(300));
        Assert.Equal(CacheStatus.Miss, cache.Lookup(key, _buffer, out _).Status);
    }

    [Fact]
    public void TryStore_NoData_IsCachedFromTheSoa()
    {
        var cache = new ResponseCache(NoStale, _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Negative(DnsResponseCode.NoError, soaTtl: 120, minimum: 900)));

        cache.Lookup(key, _buffer, out int written);
        Assert.Equal([120u], CacheMessages.Ttls(_buffer.AsSpan(0, written)));
        _time.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal(CacheStatus.Miss, cache.Lookup(key, _buffer, out _).Status);
    }

    [Theory]
    [InlineData(DnsResponseCode.NameError)]
    [InlineData(DnsResponseCode.NoError)]
    public void TryStore_NegativeWithoutSoa_IsNotCached(DnsResponseCode code)
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        Assert.False(cache.TryStore(CacheMessages.Key(CacheMessages.Query()), CacheMessages.Negative(code, soaTtl: null)));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void TryStore_CnameEndingInNoData_IsBoundByTheSoa()
    {
        var cache = new ResponseCache(NoStale, _time);
        var message = Protocol.DnsResponseFactory.CreateResponse(CacheMessages.QueryMessage());
        message.Answers.Add(new DnsResourceRecord(
            Protocol.DnsName.Parse("www.example.com"), 86400, new CnameRecordData(Protocol.DnsName.Parse("cdn.example.net"))));
        message.Authorities.Add(CacheMessages.Soa(3600, 60));
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, message.ToArray()));

        cache.Lookup(key, _buffer, out int written);
        Assert.Equal([60u, 60u], CacheMessages.Ttls(_buffer.AsSpan(0, written)));
    }

    [Fact]
    public void TryStore_ServerFailure_KeptFiveSeconds_NeverStale()
    {
        var cache = new ResponseCache(new CacheOptions { ServeStale = true, MinTtl = TimeSpan.FromMinutes(5) }, _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.WithCode(DnsResponseCode.ServerFailure)));

        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(CacheStatus.Fresh, cache.Lookup(key, _buffer, out int written).Status);
        Assert.Equal(DnsResponseCode.ServerFailure, Protocol.DnsMessage.Parse(_buffer.AsSpan(0, written)).ResponseCode);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(CacheStatus.Miss, cache.Lookup(key, _buffer, out _).Status);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void TryStore_ServerFailure_DoesNotReplaceAServableAnswer()
    {
        var cache = new ResponseCache(new CacheOptions { ServeStale = true, StaleMaxAge = TimeSpan.FromHours(1) }, _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 60)));
        _time.Advance(TimeSpan.FromSeconds(120));

        Assert.False(cache.TryStore(key, CacheMessages.WithCode(DnsResponseCode.ServerFailure)));
        Assert.Equal(CacheStatus.Stale, cache.Lookup(key, _buffer, out _).Status);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.True(cache.TryStore(key, CacheMessages.WithCode(DnsResponseCode.ServerFailure)));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void TryStore_NewAnswerReplacesOld()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 60)));
        long size = cache.SizeInBytes;
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 600)));
        Assert.Equal(1, cache.Count);
        Assert.Equal(size, cache.SizeInBytes);
        cache.Lookup(key, _buffer, out int written);
        Assert.Equal([600u], CacheMessages.Ttls(_buffer.AsSpan(0, written)));
    }

    [Fact]
    public void TryStore_Truncated_IsNotCached()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var message = CacheMessages.AnswerMessage("www.example.com", 300);
        message.Header = message.Header with { Truncated = true };
        Assert.False(cache.TryStore(CacheMessages.Key(CacheMessages.Query()), message.ToArray()));
    }

    [Theory]
    [InlineData(DnsResponseCode.Refused)]
    [InlineData(DnsResponseCode.FormatError)]
    [InlineData(DnsResponseCode.NotImplemented)]
    [InlineData(DnsResponseCode.BadCookie)]
    public void TryStore_OtherResponseCodes_AreNotCached(DnsResponseCode code)
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        Assert.False(cache.TryStore(CacheMessages.Key(CacheMessages.Query()), CacheMessages.WithCode(code)));
    }

    [Fact]
    public void TryStore_QuestionMustMatchTheKey()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var key = CacheMessages.Key(CacheMessages.Query("www.example.com"));
        Assert.False(cache.TryStore(key, CacheMessages.Answer("www.example.org", 300)));
        Assert.False(cache.TryStore(CacheMessages.Key(CacheMessages.Query(type: DnsRecordType.AAAA)), CacheMessages.Answer("www.example.com", 300)));

        var noQuestion = CacheMessages.AnswerMessage("www.example.com", 300);
        noQuestion.Questions.Clear();
        Assert.False(cache.TryStore(key, noQuestion.ToArray()));

        // The response's case does not matter: the names are compared lowered.
        Assert.True(cache.TryStore(key, CacheMessages.Answer("WWW.example.COM", 300)));
    }

    [Fact]
    public void TryStore_QueryOrMalformed_IsNotCached()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.False(cache.TryStore(key, CacheMessages.Query()));
        var response = CacheMessages.Answer("www.example.com", 300);
        Assert.False(cache.TryStore(key, response.AsSpan(0, response.Length - 3)));
        Assert.False(cache.TryStore(key, []));
        Assert.False(cache.TryStore([], response));
    }

    [Fact]
    public void TryStore_ZeroTtl_OrTopBitTtl_IsNotCached()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.False(cache.TryStore(key, CacheMessages.Answer("www.example.com", 0)));
        Assert.False(cache.TryStore(key, CacheMessages.Answer("www.example.com", 0x80000000)));
    }

    [Fact]
    public void TryStore_MinTtlRaises_AndClientsSeeIt()
    {
        var cache = new ResponseCache(NoStale with { MinTtl = TimeSpan.FromSeconds(60) }, _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 10, 30)));

        cache.Lookup(key, _buffer, out int written);
        Assert.Equal([60u, 60u], CacheMessages.Ttls(_buffer.AsSpan(0, written)));
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(CacheStatus.Fresh, cache.Lookup(key, _buffer, out _).Status);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CacheStatus.Miss, cache.Lookup(key, _buffer, out _).Status);
    }

    [Fact]
    public void TryStore_MaxTtlLowers_AndClientsSeeIt()
    {
        var cache = new ResponseCache(NoStale with { MaxTtl = TimeSpan.FromSeconds(100) }, _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 3600, 86400)));

        cache.Lookup(key, _buffer, out int written);
        Assert.Equal([100u, 100u], CacheMessages.Ttls(_buffer.AsSpan(0, written)));
        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(CacheStatus.Miss, cache.Lookup(key, _buffer, out _).Status);
    }

    [Fact]
    public void SizeInBytes_CountsKeyResponseOffsetsAndOverhead()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        var response = CacheMessages.Answer("www.example.com", 300, 300, 300);
        Assert.True(cache.TryStore(key, response));

        long expected = ResponseCache.EstimateEntrySize(key.Length, response.Length, 3);
        Assert.Equal(expected, cache.SizeInBytes);
        Assert.Equal(1, cache.Count);

        // Arrays as the runtime lays them out: 24 octets of header and length, the data, rounded up to 8.
        long arrays = ((24 + key.Length + 7) & ~7) + ((24 + response.Length + 7) & ~7) + 32;
        Assert.Equal(arrays + 104 + ResponseCache.DictionaryBytesPerEntry, expected);
        Assert.True(expected > key.Length + response.Length + 150);

        cache.Clear();
        Assert.Equal(0, cache.SizeInBytes);
        Assert.Equal(0, cache.Count);
        Assert.Equal(CacheStatus.Miss, cache.Lookup(key, _buffer, out _).Status);
    }

    [Fact]
    public void TryStore_SmallCache_EvictsLeastRecentlyUsed()
    {
        const long maxSize = 4096;
        var cache = new ResponseCache(new CacheOptions { MaxSize = maxSize }, _time);
        Assert.Equal(1, cache.ShardCount);

        var keys = new List<byte[]>();
        int i = 0;
        while (true)
        {
            string name = $"host{i++:D3}.example.com";
            var key = CacheMessages.Key(CacheMessages.Query(name));
            Assert.True(cache.TryStore(key, CacheMessages.Answer(name, 300, 300)));
            Assert.True(cache.SizeInBytes <= maxSize);
            if (cache.Count == keys.Count)
            {
                // That store evicted the oldest to make room: the cache is full.
                Assert.Equal(CacheStatus.Miss, cache.Lookup(keys[0], _buffer, out _).Status);
                keys.RemoveAt(0);
                keys.Add(key);
                break;
            }

            keys.Add(key);
        }

        int capacity = keys.Count;
        Assert.True(capacity > 5, $"only {capacity} entries fit");

        // Touch the oldest, so the second oldest is now the least recently used.
        Assert.Equal(CacheStatus.Fresh, cache.Lookup(keys[0], _buffer, out _).Status);
        string extra = "extra.example.com";
        Assert.True(cache.TryStore(CacheMessages.Key(CacheMessages.Query(extra)), CacheMessages.Answer(extra, 300, 300)));

        Assert.Equal(capacity, cache.Count);
        Assert.True(cache.SizeInBytes <= maxSize);
        Assert.Equal(CacheStatus.Fresh, cache.Lookup(keys[0], _buffer, out _).Status);
        Assert.Equal(CacheStatus.Miss, cache.Lookup(keys[1], _buffer, out _).Status);
        for (int k = 2; k < keys.Count; k++)
        {
            Assert.Equal(CacheStatus.Fresh, cache.Lookup(keys[k], _buffer, out _).Status);
        }
    }

    [Fact]
    public void TryStore_EntryLargerThanTheCache_IsNotStored()
    {
        var cache = new ResponseCache(new CacheOptions { MaxSize = 1024 }, _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 300)));
        Assert.False(cache.TryStore(key, CacheMessages.Answer("www.example.com", [.. Enumerable.Repeat(300u, 60)])));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void MaxSizeZero_StoresNothing()
    {
        var cache = new ResponseCache(new CacheOptions { MaxSize = 0 }, _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.False(cache.TryStore(key, CacheMessages.Answer("www.example.com", 300)));
        Assert.Equal(CacheStatus.Miss, cache.Lookup(key, _buffer, out _).Status);
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.SizeInBytes);
    }

    [Fact]
    public void ShardCount_GrowsWithMaxSize()
    {
        Assert.Equal(1, new ResponseCache(new CacheOptions { MaxSize = 300_000 }, _time).ShardCount);
        Assert.Equal(4, new ResponseCache(new CacheOptions { MaxSize = 1_500_000 }, _time).ShardCount);
        Assert.Equal(ResponseCache.MaxShardCount, new ResponseCache(new CacheOptions(), _time).ShardCount);
    }

    [Fact]
    public void Lookup_SmallDestination_IsMiss()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 300)));
        Assert.Equal(CacheStatus.Miss, cache.Lookup(key, new byte[20], out int written).Status);
        Assert.Equal(0, written);
    }

    [Fact]
    public void Lookup_PopularEntryNearExpiry_AsksForPrefetchOnce()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var key = CacheMessages.Key(CacheMessages.Query());
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 100)));

        Assert.False(cache.Lookup(key, _buffer, out _).ShouldPrefetch); // first hit, far from expiry
        _time.Advance(TimeSpan.FromSeconds(90));
        Assert.False(cache.Lookup(key, _buffer, out _).ShouldPrefetch); // 10 s left: not below a tenth
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new CacheLookup(CacheStatus.Fresh, true), cache.Lookup(key, _buffer, out _));
        Assert.False(cache.Lookup(key, _buffer, out _).ShouldPrefetch);

        // The refreshed answer starts a new life.
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 100)));
        _time.Advance(TimeSpan.FromSeconds(95));
        Assert.False(cache.Lookup(key, _buffer, out _).ShouldPrefetch);
        Assert.True(cache.Lookup(key, _buffer, out _).ShouldPrefetch);
    }

    [Fact]
    public void Lookup_UnpopularShortOrDisabled_NoPrefetch()
    {
        var key = CacheMessages.Key(CacheMessages.Query());

        var cache = new ResponseCache(new CacheOptions(), _time);
        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 100)));
        _time.Advance(TimeSpan.FromSeconds(95));
        Assert.False(cache.Lookup(key, _buffer, out _).ShouldPrefetch); // the only hit

        Assert.True(cache.TryStore(key, CacheMessages.Answer("www.example.com", 9)));
        cache.Lookup(key, _buffer, out _);
        _time.Advance(TimeSpan.FromSeconds(8.5));
        Assert.False(cache.Lookup(key, _buffer, out _).ShouldPrefetch); // too short to bother

        var off = new ResponseCache(new CacheOptions { Prefetch = false }, _time);
        Assert.True(off.TryStore(key, CacheMessages.Answer("www.example.com", 100)));
        off.Lookup(key, _buffer, out _);
        _time.Advance(TimeSpan.FromSeconds(95));
        Assert.False(off.Lookup(key, _buffer, out _).ShouldPrefetch);
    }

    [Fact]
    public void Lookup_WarmEntry_AllocatesNothing()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var query = CacheMessages.Query("WwW.ExAmPlE.CoM", dnssecOk: true, id: 0xBEEF);
        Assert.True(cache.TryStore(CacheMessages.Key(query), CacheMessages.Answer("www.example.com", [.. Enumerable.Repeat(300u, 10)])));
        var miss = CacheMessages.Query("nothing.example.com");
        _time.Advance(TimeSpan.FromSeconds(7));

        int Run(byte[] q)
        {
            Span<byte> key = stackalloc byte[CacheKey.MaxLength];
            if (!CacheKey.TryCreate(q, key, out int length))
            {
                return -1;
            }

            var result = cache.Lookup(key[..length], _buffer, out int written);
            if (result.IsHit)
            {
                DnsMessagePatcher.SetId(_buffer.AsSpan(0, written), 0xBEEF);
                DnsMessagePatcher.TryCopyQuestionCase(_buffer.AsSpan(0, written), q);
            }

            return written;
        }

        Run(query);
        Run(miss);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int total = 0;
        for (int i = 0; i < 100; i++)
        {
            total += Run(query) + Run(miss);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(total > 0);

        var answer = Protocol.DnsMessage.Parse(_buffer.AsSpan(0, Run(query)));
        Assert.Equal(0xBEEF, answer.Id);
        Assert.Equal("WwW.ExAmPlE.CoM.", answer.Questions[0].Name.ToString());
        Assert.All(answer.Answers, a => Assert.Equal(293u, a.Ttl));
    }

    [Fact]
    public void ConcurrentStoresAndLookups_StayConsistentAndBounded()
    {
        const long maxSize = 64 * 1024;
        var cache = new ResponseCache(new CacheOptions { MaxSize = maxSize }, _time);
        var names = Enumerable.Range(0, 400).Select(i => $"n{i}.example.com").ToArray();
        var keys = names.Select(n => CacheMessages.Key(CacheMessages.Query(n))).ToArray();
        var responses = names.Select(n => CacheMessages.Answer(n, 300, 300, 300)).ToArray();
        long maxSeen = 0;
        int hits = 0;

        var failures = new List<Exception>();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            try
            {
                Work(t);
            }
            catch (Exception e)
            {
                lock (failures)
                {
                    failures.Add(e);
                }
            }
        })).ToArray();

        void Work(int t)
        {
            var buffer = new byte[DnsConstants.MaxMessageSize];
            var random = new Random(t);
            for (int i = 0; i < 20_000; i++)
            {
                // Half the traffic goes to 20 shared names, the rest spreads over all 400.
                int n = random.Next(2) == 0 ? random.Next(20) : random.Next(names.Length);
                var result = cache.Lookup(keys[n], buffer, out int written);
                if (result.IsHit)
                {
                    Interlocked.Increment(ref hits);
                    if (!buffer.AsSpan(0, written).Slice(12, keys[n].Length - 5).SequenceEqual(keys[n].AsSpan(0, keys[n].Length - 5)))
                    {
                        throw new InvalidOperationException("Wrong answer for the key.");
                    }
                }
                else
                {
                    cache.TryStore(keys[n], responses[n]);
                }

                if ((i & 63) == 0)
                {
                    long size = cache.SizeInBytes;
                    long seen;
                    while (size > (seen = Interlocked.Read(ref maxSeen)) && Interlocked.CompareExchange(ref maxSeen, size, seen) != seen)
                    {
                    }
                }

                if (t == 0 && (i & 4095) == 0)
                {
                    cache.Clear();
                }
            }
        }

        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Empty(failures);
        Assert.True(hits > 0);
        Assert.True(Interlocked.Read(ref maxSeen) <= maxSize);
        Assert.True(cache.SizeInBytes <= maxSize);
        Assert.True(cache.Count > 0);
    }
}
