using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Palisade.Protocol;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Server.Tests.Transport;

/// <summary>DNS 0x20 on UDP upstreams, against small responders on 127.0.0.1.</summary>
public sealed class CaseRandomizationTests
{
    // 36 letters: the chance that randomising leaves every one as it was is 2^-36.
    private const string LongName = "abcdefghijklmnopqrstuvwxyz.abcdefghij.test";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void RandomizeCase_ChangesOnlyLettersOfTheName()
    {
        byte[] query = Query("Ab-9x.xY_z.test", out int length);
        query[DnsConstants.HeaderSize + 5] = 0xC9; // not ASCII: 0xC9 | 0x20 is another octet, which must not appear
        byte[] before = query.AsSpan(0, length).ToArray();

        UpstreamQuery.RandomizeCase(query.AsSpan(0, length));

        for (int i = 0; i < length; i++)
        {
            bool letter = i >= DnsConstants.HeaderSize && char.IsAsciiLetter((char)before[i]) && !IsLengthOctet(before, i);
            Assert.True(letter ? (query[i] | 0x20) == (before[i] | 0x20) : query[i] == before[i], $"octet {i}");
        }
    }

    [Fact]
    public void Compare_ExactCaseDiffersOrNone()
    {
        byte[] query = Query("www.example.test", out int length);
        var sent = query.AsSpan(0, length);
        byte[] same = Reply(sent, lowerCase: false);
        Assert.Equal(QuestionMatch.Exact, UpstreamQuery.Compare(sent, same));

        sent[DnsConstants.HeaderSize + 1] = (byte)'W';
        Assert.Equal(QuestionMatch.CaseDiffers, UpstreamQuery.Compare(sent, same));
        Assert.True(UpstreamQuery.Matches(sent, same));

        same[0] ^= 1;
        Assert.Equal(QuestionMatch.None, UpstreamQuery.Compare(sent, same));
    }

    [Fact]
    public async Task EchoingUpstream_NameIsRandomisedAndTheAnswerAccepted()
    {
        await using var responder = new Responder(Responder.Mode.Echo);
        var detector = new CaseEchoDetector();
        var transport = new UdpUpstreamTransport(responder.EndPoint, detector);
        byte[] query = Query(LongName, out int length);
        byte[] original = query.AsSpan(0, length).ToArray();

        var response = await transport.ExchangeAsync(query.AsMemory(0, length), new CancellationTokenSource(Timeout).Token);
        try
        {
            byte[] received = Assert.Single(responder.Queries);
            Assert.False(received.AsSpan().SequenceEqual(original), "the name's case was not randomised");
            Assert.True(UpstreamQuery.EqualsIgnoringLetterCase(original.AsSpan(2), received.AsSpan(2)));
            Assert.Equal(original, query.AsSpan(0, length).ToArray());
            Assert.Equal(QuestionMatch.Exact, UpstreamQuery.Compare(received, response.Span));
            Assert.True(detector.Randomizes);
        }
        finally
        {
            response.Release();
        }
    }

    [Fact]
    public async Task LowerCasingUpstream_EveryQueryAnswered_ExemptAfterThreeAndReportedOnce()
    {
        await using var responder = new Responder(Responder.Mode.LowerCase);
        var detector = new CaseEchoDetector();
        var transport = new UdpUpstreamTransport(responder.EndPoint, detector);

        for (int i = 0; i < CaseEchoDetector.MismatchesBeforeExempt + 2; i++)
        {
            Assert.Equal(i >= CaseEchoDetector.MismatchesBeforeExempt ? 1 : 2, await AnswerAsync(transport, responder, $"Q{i}.{LongName}"));
            Assert.Equal(i < CaseEchoDetector.MismatchesBeforeExempt - 1, detector.Randomizes);
        }

        // Once exempt, the name goes out as the client asked it.
        byte[] last = responder.Queries[^1];
        byte[] expected = Query($"Q4.{LongName}", out int length);
        Assert.True(last.AsSpan(DnsConstants.HeaderSize).SequenceEqual(expected.AsSpan(DnsConstants.HeaderSize, length - DnsConstants.HeaderSize)));
        Assert.True(detector.TryMarkReported());
        Assert.False(detector.TryMarkReported());
    }

    [Fact]
    public async Task SpoofInAnotherCaseThenTheRealAnswer_TheRealOneWins()
    {
        await using var responder = new Responder(Responder.Mode.SpoofThenReal);
        var detector = new CaseEchoDetector();
        var transport = new UdpUpstreamTransport(responder.EndPoint, detector);

        for (int i = 0; i < CaseEchoDetector.MismatchesBeforeExempt + 1; i++)
        {
            byte[] query = Query($"s{i}.{LongName}", out int length);
            var response = await transport.ExchangeAsync(query.AsMemory(0, length), new CancellationTokenSource(Timeout).Token);
            try
            {
                var answer = DnsMessage.Parse(response.Span);
                Assert.Equal(Responder.RealAddress.ToString(), answer.Answers.Single().Data.ToString());
            }
            finally
            {
                response.Release();
            }
        }

        // Each query was sent once, and the spoofs did not count against the upstream.
        Assert.Equal(CaseEchoDetector.MismatchesBeforeExempt + 1, responder.Queries.Count);
        Assert.True(detector.Randomizes);
        Assert.False(detector.TryMarkReported());
    }

    /// <returns>How many queries the responder got for this one.</returns>
    private static async Task<int> AnswerAsync(UdpUpstreamTransport transport, Responder responder, string name)
    {
        int before = responder.Queries.Count;
        byte[] query = Query(name, out int length);
        var response = await transport.ExchangeAsync(query.AsMemory(0, length), new CancellationTokenSource(Timeout).Token);
        try
        {
            Assert.Equal(Responder.RealAddress.ToString(), DnsMessage.Parse(response.Span).Answers.Single().Data.ToString());
            Assert.True(UpstreamQuery.Matches(query.AsSpan(0, length), response.Span) || BinaryPrimitives.ReadUInt16BigEndian(response.Span) != BinaryPrimitives.ReadUInt16BigEndian(query));
        }
        finally
        {
            response.Release();
        }

        return responder.Queries.Count - before;
    }

    private static byte[] Query(string name, out int length)
    {
        byte[] query = new byte[UpstreamQuery.MaxLength];
        var question = new UpstreamQuestion(DnsName.Parse(name).WireBytes.ToArray(), DnsRecordType.A, DnsClass.IN, DnssecOk: false, CheckingDisabled: false);
        length = UpstreamQuery.Write(query, question);
        return query;
    }

    private static bool IsLengthOctet(byte[] query, int index)
    {
        int at = DnsConstants.HeaderSize;
        while (at < index)
        {
            at += 1 + query[at];
        }

        return at == index;
    }

    /// <summary>An answer to <paramref name="query"/> with one A record (pointing at the question), its name lower-cased if asked.</summary>
    private static byte[] Reply(ReadOnlySpan<byte> query, bool lowerCase, IPAddress? address = null)
    {
        var request = DnsMessage.Parse(query);
        var response = DnsResponseFactory.CreateResponse(request, DnsResponseCode.NoError);
        response.Answers.Add(new DnsResourceRecord(request.Questions[0].Name, 300, new ARecordData(address ?? Responder.RealAddress)));
        byte[] wire = response.ToArray();
        if (lowerCase)
        {
            for (int at = DnsConstants.HeaderSize; wire[at] != 0; at += 1 + wire[at])
            {
                System.Text.Ascii.ToLowerInPlace(wire.AsSpan(at + 1, wire[at]), out _);
            }
        }

        return wire;
    }

    /// <summary>A UDP responder on 127.0.0.1 that keeps the queries it gets.</summary>
    private sealed class Responder : IAsyncDisposable
    {
        public static readonly IPAddress RealAddress = IPAddress.Parse("192.0.2.1");

        private static readonly IPAddress SpoofAddress = IPAddress.Parse("192.0.2.66");

        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly ConcurrentQueue<byte[]> _queries = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly Mode _mode;

        public Responder(Mode mode)
        {
            _mode = mode;
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
            _loop = Task.Run(LoopAsync);
        }

        public enum Mode
        {
            /// <summary>Answers with the question exactly as asked.</summary>
            Echo,

            /// <summary>Answers with the question name lower-cased.</summary>
            LowerCase,

            /// <summary>Sends a spoof (right ID, name lower-cased, another address), then the real answer.</summary>
            SpoofThenReal,
        }

        public IPEndPoint EndPoint { get; }

        public IReadOnlyList<byte[]> Queries => [.. _queries];

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _socket.Dispose();
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Stopping.
            }

            _stop.Dispose();
        }

        private async Task LoopAsync()
        {
            byte[] buffer = new byte[65535];
            while (!_stop.IsCancellationRequested)
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                byte[] query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
                _queries.Enqueue(query);
                if (_mode == Mode.SpoofThenReal)
                {
                    await _socket.SendToAsync(Reply(query, lowerCase: true, SpoofAddress), SocketFlags.None, received.RemoteEndPoint, _stop.Token);
                }

                await _socket.SendToAsync(Reply(query, lowerCase: _mode == Mode.LowerCase), SocketFlags.None, received.RemoteEndPoint, _stop.Token);
            }
        }
    }
}
