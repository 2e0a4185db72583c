using Palisade.Protocol;
using Palisade.Server.Caching;

namespace Palisade.Server.Tests.Caching;

public sealed class CacheKeyTests
{
    [Fact]
    public void TryCreate_IgnoresCaseAndId()
    {
        var lower = CacheMessages.Key(CacheMessages.Query("www.example.com", id: 1));
        var mixed = CacheMessages.Key(CacheMessages.Query("wWw.ExAmPlE.CoM", id: 2));
        Assert.Equal(lower, mixed);
    }

    [Fact]
    public void TryCreate_LayoutIsLoweredNameTypeClassFlags()
    {
        var key = CacheMessages.Key(CacheMessages.Query("A.b", DnsRecordType.AAAA, dnssecOk: true));
        Assert.Equal(new byte[] { 1, (byte)'a', 1, (byte)'b', 0, 0, 28, 0, 1, CacheKey.DnssecOkFlag }, key);
    }

    [Fact]
    public void TryCreate_SeparatesDoCdTypeAndName()
    {
        var plain = CacheMessages.Key(CacheMessages.Query());
        Assert.NotEqual(plain, CacheMessages.Key(CacheMessages.Query(dnssecOk: true)));
        Assert.NotEqual(plain, CacheMessages.Key(CacheMessages.Query(checkingDisabled: true)));
        Assert.NotEqual(plain, CacheMessages.Key(CacheMessages.Query(type: DnsRecordType.AAAA)));
        Assert.NotEqual(plain, CacheMessages.Key(CacheMessages.Query("ww.example.com")));
        Assert.Equal(plain, CacheMessages.Key(CacheMessages.Query(edns: false)));
    }

    [Theory]
    [InlineData("wWw.ExAmPlE.CoM", DnsRecordType.A, false, false)]
    [InlineData("A.b", DnsRecordType.AAAA, true, false)]
    [InlineData("x.example", DnsRecordType.TXT, false, true)]
    [InlineData("\\255Z.example", DnsRecordType.MX, true, true)]
    public void Write_FromTheQuestionsParts_SameKeyAsFromTheQuery(string name, DnsRecordType type, bool dnssecOk, bool checkingDisabled)
    {
        // The upstream resolver coalesces by this key: identical questions must share an exchange exactly when they
        // would share a cache entry.
        var fromQuery = CacheMessages.Key(CacheMessages.Query(name, type, dnssecOk: dnssecOk, checkingDisabled: checkingDisabled));
        Span<byte> key = stackalloc byte[CacheKey.MaxLength];

        int length = CacheKey.Write(DnsName.Parse(name).WireBytes, type, DnsClass.IN, dnssecOk, checkingDisabled, key);

        Assert.Equal(fromQuery, key[..length].ToArray());
    }

    [Fact]
    public void TryCreate_FindsDoWhereverTheOptIs()
    {
        // OPT after another additional record: not where a plain query has it.
        var query = CacheMessages.QueryMessage(dnssecOk: true);
        query.Additionals.Add(new DnsResourceRecord(DnsName.Parse("x.example"), 60, new ARecordData(System.Net.IPAddress.Loopback)));
        Assert.Equal(CacheKey.DnssecOkFlag, CacheMessages.Key(query.ToArray())[^1]);

        // A response, answers before the OPT; its key without the flags is its question's.
        var response = CacheMessages.AnswerMessage("WWW.example.com", 300);
        response.Edns = new DnsEdns { DnssecOk = true };
        var key = CacheMessages.Key(response.ToArray());
        Assert.Equal(CacheKey.DnssecOkFlag, key[^1]);
        Assert.Equal(CacheMessages.Key(CacheMessages.Query(dnssecOk: true)), key);

        var withoutDo = CacheMessages.QueryMessage();
        withoutDo.Additionals.Add(new DnsResourceRecord(DnsName.Parse("x.example"), 60, new ARecordData(System.Net.IPAddress.Loopback)));
        Assert.Equal(0, CacheMessages.Key(withoutDo.ToArray())[^1]);
    }

    [Fact]
    public void TryCreate_RejectsMalformedAndOtherThanOneQuestion()
    {
        var key = new byte[CacheKey.MaxLength];
        Assert.False(CacheKey.TryCreate([], key, out _));
        Assert.False(CacheKey.TryCreate(new byte[11], key, out _));

        var query = CacheMessages.Query();
        Assert.False(CacheKey.TryCreate(query.AsSpan(0, query.Length - 16), key, out _));

        var noQuestion = new DnsMessage { Header = new DnsHeader { Id = 1 } }.ToArray();
        Assert.False(CacheKey.TryCreate(noQuestion, key, out _));

        var two = CacheMessages.QueryMessage();
        two.Questions.Add(new DnsQuestion(DnsName.Parse("example.org"), DnsRecordType.A));
        Assert.False(CacheKey.TryCreate(two.ToArray(), key, out _));

        var notify = CacheMessages.QueryMessage();
        notify.Header = notify.Header with { Opcode = DnsOpcode.Notify };
        Assert.False(CacheKey.TryCreate(notify.ToArray(), key, out _));
    }

    [Fact]
    public void TryCreate_LongestNameFits()
    {
        string label = new('X', 63);
        string name = $"{label}.{label}.{label}.{new string('y', 61)}";
        var key = new byte[CacheKey.MaxLength];
        Assert.True(CacheKey.TryCreate(CacheMessages.Query(name), key, out int length));
        Assert.Equal(CacheKey.MaxLength, length);
        Assert.DoesNotContain((byte)'X', key);
    }

    [Fact]
    public void TryCreate_ShortDestinationThrows()
    {
        var query = CacheMessages.Query();
        Assert.Throws<ArgumentException>(() => CacheKey.TryCreate(query, new byte[100], out _));
    }
}
