using System.Buffers.Binary;
using System.Net;
using Palisade.Protocol;
using Palisade.Server.Configuration;
using Palisade.Server.Transport.Upstreams;
using Palisade.Server.Transport.Upstreams.Encrypted;

namespace Palisade.Server.Tests.Transport.Encrypted;

/// <summary>DNS over TLS to a scripted TLS server: pipelining, answers out of order, reconnecting, padding, refusals.</summary>
public sealed class TlsUpstreamTransportTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Exchange_AnswersOutOfOrder_EachQueryGetsItsOwn()
    {
        await using var server = new ScriptedTlsServer(async (stream, cancellation) =>
        {
            byte[] first = (await ScriptedTlsServer.ReadMessageAsync(stream, cancellation))!;
            byte[] second = (await ScriptedTlsServer.ReadMessageAsync(stream, cancellation))!;
            await ScriptedTlsServer.WriteMessageAsync(stream, ScriptedTlsServer.AnswerTo(second), cancellation);
            await ScriptedTlsServer.WriteMessageAsync(stream, ScriptedTlsServer.AnswerTo(first), cancellation);
            await Task.Delay(Timeout.Infinite, cancellation);
        });
        await using var transport = Transport(server);
        byte[] a = Query("a.example", 0x1111);
        byte[] b = Query("b.example", 0x2222);
        using var timeout = new CancellationTokenSource(Bound);

        var answerA = transport.ExchangeAsync(a, timeout.Token).AsTask();
        await Task.Delay(50);
        var answerB = transport.ExchangeAsync(b, timeout.Token).AsTask();
        var answers = await Task.WhenAll(answerA, answerB);

        Assert.Equal(0x1111, BinaryPrimitives.ReadUInt16BigEndian(answers[0].Span));
        Assert.Equal("a.example.", QuestionName(answers[0]));
        Assert.Equal(0x2222, BinaryPrimitives.ReadUInt16BigEndian(answers[1].Span));
        Assert.Equal("b.example.", QuestionName(answers[1]));
        Assert.Equal(1, server.Connections);
        answers[0].Release();
        answers[1].Release();
    }

    [Fact]
    public async Task Exchange_ManyAtOnce_OneConnectionAndPaddedQueriesWithDistinctIds()
    {
        var seen = new List<byte[]>();
        await using var server = new ScriptedTlsServer(async (stream, cancellation) =>
        {
            while (await ScriptedTlsServer.ReadMessageAsync(stream, cancellation) is { } query)
            {
                lock (seen)
                {
                    seen.Add(query);
                }

                await ScriptedTlsServer.WriteMessageAsync(stream, ScriptedTlsServer.AnswerTo(query), cancellation);
            }
        });
        await using var transport = Transport(server);
        using var timeout = new CancellationTokenSource(Bound);

        // The same caller ID for all: the transport gives each its own on the wire.
        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => transport.ExchangeAsync(Query($"n{i}.example", 7), timeout.Token).AsTask()));

        Assert.All(answers, a => Assert.Equal(7, BinaryPrimitives.ReadUInt16BigEndian(a.Span)));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"n{i}.example."), answers.Select(QuestionName));
        Assert.Equal(1, server.Connections);
        Assert.All(seen, q => Assert.Equal(0, q.Length % TlsUpstreamConnection.QueryPaddingBlock));
        Assert.Equal(50, seen.Select(q => BinaryPrimitives.ReadUInt16BigEndian(q)).Distinct().Count());
        Assert.All(seen, q => Assert.Contains(DnsMessage.Parse(q).Edns!.Options, o => o is PaddingOption));
        foreach (var answer in answers)
        {
            answer.Release();
        }
    }

    [Fact]
    public async Task Exchange_ServerClosedTheConnection_NextQueryOpensANewOne()
    {
        await using var server = new ScriptedTlsServer(async (stream, cancellation) =>
        {
            // One answer per connection, then close: as a server does after its idle timeout.
            byte[] query = (await ScriptedTlsServer.ReadMessageAsync(stream, cancellation))!;
            await ScriptedTlsServer.WriteMessageAsync(stream, ScriptedTlsServer.AnswerTo(query), cancellation);
        });
        await using var transport = Transport(server);
        using var timeout = new CancellationTokenSource(Bound);

        for (int i = 0; i < 3; i++)
        {
            var answer = await transport.ExchangeAsync(Query($"q{i}.example", 1), timeout.Token);
            Assert.Equal($"q{i}.example.", QuestionName(answer));
            answer.Release();
        }

        Assert.Equal(3, server.Connections);
    }

    [Fact]
    public async Task Exchange_ConnectionDropsWithQueriesWaiting_TheyAreAskedAgainOnce()
    {
        int connection = 0;
        await using var server = new ScriptedTlsServer(async (stream, cancellation) =>
        {
            int number = Interlocked.Increment(ref connection);
            byte[] query = (await ScriptedTlsServer.ReadMessageAsync(stream, cancellation))!;
            await ScriptedTlsServer.WriteMessageAsync(stream, ScriptedTlsServer.AnswerTo(query), cancellation);
            if (number == 1)
            {
                // Read the second query, then drop the connection without answering it.
                await ScriptedTlsServer.ReadMessageAsync(stream, cancellation);
                return;
            }

            while (await ScriptedTlsServer.ReadMessageAsync(stream, cancellation) is { } next)
            {
                await ScriptedTlsServer.WriteMessageAsync(stream, ScriptedTlsServer.AnswerTo(next), cancellation);
            }
        });
        await using var transport = Transport(server);
        using var timeout = new CancellationTokenSource(Bound);

        (await transport.ExchangeAsync(Query("first.example", 1), timeout.Token)).Release();
        var second = await transport.ExchangeAsync(Query("second.example", 2), timeout.Token);

        Assert.Equal("second.example.", QuestionName(second));
        Assert.Equal(2, server.Connections);
        second.Release();
    }

    [Fact]
    public async Task Exchange_AnswerToAnotherQuestion_IsAnUpstreamFailure()
    {
        await using var server = new ScriptedTlsServer(async (stream, cancellation) =>
        {
            byte[] query = (await ScriptedTlsServer.ReadMessageAsync(stream, cancellation))!;
            byte[] other = Query("other.example", BinaryPrimitives.ReadUInt16BigEndian(query));
            await ScriptedTlsServer.WriteMessageAsync(stream, ScriptedTlsServer.AnswerTo(other), cancellation);
            await Task.Delay(Timeout.Infinite, cancellation);
        });
        await using var transport = Transport(server);
        using var timeout = new CancellationTokenSource(Bound);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => transport.ExchangeAsync(Query("asked.example", 3), timeout.Token).AsTask());

        Assert.Contains("answered a different question", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exchange_NoAnswer_CancelledAndTheConnectionStillServesOthers()
    {
        await using var server = new ScriptedTlsServer(async (stream, cancellation) =>
        {
            while (await ScriptedTlsServer.ReadMessageAsync(stream, cancellation) is { } query)
            {
                if (!DnsMessage.Parse(query).Questions[0].Name.ToString().StartsWith("silent", StringComparison.Ordinal))
                {
                    await ScriptedTlsServer.WriteMessageAsync(stream, ScriptedTlsServer.AnswerTo(query), cancellation);
                }
            }
        });
        await using var transport = Transport(server);
        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        using var timeout = new CancellationTokenSource(Bound);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transport.ExchangeAsync(Query("silent.example", 1), shortWait.Token).AsTask());
        var answer = await transport.ExchangeAsync(Query("loud.example", 2), timeout.Token);

        Assert.Equal("loud.example.", QuestionName(answer));
        Assert.Equal(1, server.Connections);
        answer.Release();
    }

    [Fact]
    public async Task Exchange_UntrustedCertificate_LastingFailureSayingWhy()
    {
        await using var server = new ScriptedTlsServer((_, _) => Task.CompletedTask);
        var upstream = Options(server);
        await using var transport = new TlsUpstreamTransport(upstream, bootstrap: null);
        using var timeout = new CancellationTokenSource(Bound);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => transport.ExchangeAsync(Query("a.example", 1), timeout.Token).AsTask());

        Assert.True(failure.IsLasting);
        Assert.Contains("was refused: it is not trusted", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exchange_WrongName_LastingFailureSayingWhy()
    {
        await using var server = new ScriptedTlsServer((_, _) => Task.CompletedTask);
        var upstream = Options(server) with { TlsName = "elsewhere.test" };
        await using var transport = new TlsUpstreamTransport(upstream, bootstrap: null, new UpstreamTls(upstream, server.Roots));
        using var timeout = new CancellationTokenSource(Bound);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => transport.ExchangeAsync(Query("a.example", 1), timeout.Token).AsTask());

        Assert.True(failure.IsLasting);
        Assert.Contains("it is not valid for elsewhere.test", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Exchange_Pin_MustMatchTheServersKey(bool matching)
    {
        await using var server = new ScriptedTlsServer(async (stream, cancellation) =>
        {
            if (await ScriptedTlsServer.ReadMessageAsync(stream, cancellation) is { } query)
            {
                await ScriptedTlsServer.WriteMessageAsync(stream, ScriptedTlsServer.AnswerTo(query), cancellation);
            }
        });
        string pin = matching ? Palisade.Server.Transport.Tls.CertificatePin.Of(server.Certificate) : "sha256/" + Convert.ToBase64String(new byte[32]);
        var upstream = Options(server) with { Pin = pin };
        await using var transport = new TlsUpstreamTransport(upstream, bootstrap: null, new UpstreamTls(upstream, server.Roots));
        using var timeout = new CancellationTokenSource(Bound);

        if (matching)
        {
            (await transport.ExchangeAsync(Query("a.example", 1), timeout.Token)).Release();
        }
        else
        {
            var failure = await Assert.ThrowsAsync<UpstreamException>(() => transport.ExchangeAsync(Query("a.example", 1), timeout.Token).AsTask());
            Assert.Contains($"its key does not match the pin {pin}", failure.Message, StringComparison.Ordinal);
            Assert.Contains(Palisade.Server.Transport.Tls.CertificatePin.Of(server.Certificate), failure.Message, StringComparison.Ordinal);
        }
    }

    internal static UpstreamOptions Options(ScriptedTlsServer server) =>
        new(UpstreamProtocol.Tls, new IPEndPoint(IPAddress.Loopback, server.Port)) { TlsName = ScriptedTlsServer.Name };

    internal static byte[] Query(string name, ushort id)
    {
        byte[] buffer = new byte[UpstreamQuery.MaxLength];
        int length = UpstreamQuery.Write(buffer, new UpstreamQuestion(DnsName.Parse(name).WireBytes.ToArray(), DnsRecordType.A, DnsClass.IN, false, false));
        BinaryPrimitives.WriteUInt16BigEndian(buffer, id);
        return buffer[..length];
    }

    internal static string QuestionName(UpstreamResponse response) => DnsMessage.Parse(response.Span).Questions[0].Name.ToString();

    private static TlsUpstreamTransport Transport(ScriptedTlsServer server)
    {
        var upstream = Options(server);
        return new TlsUpstreamTransport(upstream, bootstrap: null, new UpstreamTls(upstream, server.Roots));
    }
}
