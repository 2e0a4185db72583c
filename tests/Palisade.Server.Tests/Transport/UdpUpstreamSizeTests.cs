using System.Net;
using System.Net.Sockets;
using Palisade.Protocol;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Server.Tests.Transport;

/// <summary>How large a UDP answer the upstream transport takes: what it advertises and more, but not without bound.</summary>
public sealed class UdpUpstreamSizeTests
{
    [Theory]
    [InlineData(100)]   // about 1.6 KB: over the 1232 octets advertised, as an upstream that ignores EDNS may send
    [InlineData(240)]   // about 3.9 KB: still within the 4096 octets of older EDNS defaults
    public async Task AnswerLargerThanAdvertised_UpTo4096_Accepted(int records)
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        upstream.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var transport = new UdpUpstreamTransport((IPEndPoint)upstream.LocalEndPoint!);
        byte[] query = Query(out int length);

        var exchange = transport.ExchangeAsync(query.AsMemory(0, length), new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        int size = await AnswerAsync(upstream, records);
        var response = await exchange;
        try
        {
            Assert.Equal(size, response.Span.Length);
            Assert.Equal(records, DnsMessage.Parse(response.Span).Answers.Count);
        }
        finally
        {
            response.Release();
        }
    }

    [Fact]
    public async Task AnswerOver4096Octets_UpstreamErrorSayingSo()
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        upstream.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var transport = new UdpUpstreamTransport((IPEndPoint)upstream.LocalEndPoint!);
        byte[] query = Query(out int length);

        var exchange = transport.ExchangeAsync(query.AsMemory(0, length), new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        int size = await AnswerAsync(upstream, 400);
        Assert.True(size > 4096);

        var error = await Assert.ThrowsAsync<UpstreamException>(async () => await exchange);
        Assert.Contains("larger than 4096 octets", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Query(out int length)
    {
        byte[] query = new byte[UpstreamQuery.MaxLength];
        var question = new UpstreamQuestion(DnsName.Parse("big.example").WireBytes.ToArray(), DnsRecordType.A, DnsClass.IN, DnssecOk: false, CheckingDisabled: false);
        length = UpstreamQuery.Write(query, question);
        return query;
    }

    /// <summary>Answers the one query that comes with <paramref name="records"/> A records; returns the answer's size.</summary>
    private static async Task<int> AnswerAsync(Socket upstream, int records)
    {
        byte[] buffer = new byte[4096];
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var received = await upstream.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), guard.Token);
        var request = DnsMessage.Parse(buffer.AsSpan(0, received.ReceivedBytes));
        var response = DnsResponseFactory.CreateResponse(request, DnsResponseCode.NoError);
        for (int i = 0; i < records; i++)
        {
            response.Answers.Add(new DnsResourceRecord(request.Questions[0].Name, 300, new ARecordData(new IPAddress([10, 0, (byte)(i >> 8), (byte)i]))));
        }

        byte[] wire = response.ToArray();
        await upstream.SendToAsync(wire, SocketFlags.None, received.RemoteEndPoint, guard.Token);
        return wire.Length;
    }
}
