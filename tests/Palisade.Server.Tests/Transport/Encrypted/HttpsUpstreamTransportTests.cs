using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Text;
using Palisade.Server.Configuration;
using Palisade.Server.Transport.Upstreams;
using Palisade.Server.Transport.Upstreams.Encrypted;

namespace Palisade.Server.Tests.Transport.Encrypted;

/// <summary>
/// DNS over HTTPS to a scripted server that speaks only HTTP/1.1 (so the fall back from HTTP/2 is exercised): the request
/// RFC 8484 asks for, and every kind of bad HTTP answer turned into a clear upstream failure.
/// </summary>
public sealed class HttpsUpstreamTransportTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Exchange_Http11OnlyServer_PostsThePaddedQueryWithIdZeroAndReturnsTheAnswer()
    {
        var requests = new List<(string Head, byte[] Body)>();
        await using var server = Http11Server(request =>
        {
            lock (requests)
            {
                requests.Add(request);
            }

            return Response(200, "application/dns-message", ScriptedTlsServer.AnswerTo(request.Body));
        });
        using var transport = Transport(server);
        using var timeout = new CancellationTokenSource(Bound);

        for (int i = 0; i < 3; i++)
        {
            var answer = await transport.ExchangeAsync(TlsUpstreamTransportTests.Query($"q{i}.example", 0x4242), timeout.Token);
            Assert.Equal(0x4242, BinaryPrimitives.ReadUInt16BigEndian(answer.Span));
            Assert.Equal($"q{i}.example.", TlsUpstreamTransportTests.QuestionName(answer));
            answer.Release();
        }

        var (head, body) = requests[0];
        Assert.StartsWith("POST /dns-query HTTP/1.1", head, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/dns-message", head, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Accept: application/dns-message", head, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"Host: {ScriptedTlsServer.Name}:{server.Port}", head, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(body));
        Assert.Equal(0, body.Length % TlsUpstreamConnection.QueryPaddingBlock);
        Assert.Equal(1, server.Connections);
    }

    [Theory]
    [InlineData(500, "application/dns-message", "answered HTTP 500")]
    [InlineData(404, "text/html", "answered HTTP 404")]
    [InlineData(200, "text/html", "answered with 'text/html', not application/dns-message")]
    [InlineData(200, null, "not application/dns-message")]
    public async Task Exchange_BadHttpAnswer_IsAnUpstreamFailure(int status, string? contentType, string reason)
    {
        await using var server = Http11Server(request => Response(status, contentType, ScriptedTlsServer.AnswerTo(request.Body)));
        using var transport = Transport(server);
        using var timeout = new CancellationTokenSource(Bound);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => transport.ExchangeAsync(TlsUpstreamTransportTests.Query("a.example", 1), timeout.Token).AsTask());

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
        Assert.False(failure.IsLasting);
    }

    [Theory]
    [InlineData(5, "too few for a DNS message")]
    [InlineData(70_000, "more than a DNS message can be")]
    public async Task Exchange_BodyOfTheWrongSize_IsAnUpstreamFailure(int length, string reason)
    {
        await using var server = Http11Server(_ => Response(200, "application/dns-message", new byte[length]));
        using var transport = Transport(server);
        using var timeout = new CancellationTokenSource(Bound);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => transport.ExchangeAsync(TlsUpstreamTransportTests.Query("a.example", 1), timeout.Token).AsTask());

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exchange_AnswerToAnotherQuestion_IsAnUpstreamFailure()
    {
        await using var server = Http11Server(_ => Response(200, "application/dns-message", ScriptedTlsServer.AnswerTo(TlsUpstreamTransportTests.Query("other.example", 0))));
        using var transport = Transport(server);
        using var timeout = new CancellationTokenSource(Bound);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => transport.ExchangeAsync(TlsUpstreamTransportTests.Query("asked.example", 9), timeout.Token).AsTask());

        Assert.Contains("answered a different question", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exchange_UntrustedCertificate_LastingFailureSayingWhy()
    {
        await using var server = Http11Server(_ => []);
        using var transport = new HttpsUpstreamTransport(Options(server), bootstrap: null);
        using var timeout = new CancellationTokenSource(Bound);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => transport.ExchangeAsync(TlsUpstreamTransportTests.Query("a.example", 1), timeout.Token).AsTask());

        Assert.True(failure.IsLasting);
        Assert.Contains("was refused: it is not trusted", failure.Message, StringComparison.Ordinal);
    }

    private static UpstreamOptions Options(ScriptedTlsServer server) =>
        new(UpstreamProtocol.Https, new IPEndPoint(IPAddress.Loopback, server.Port))
        {
            HostName = ScriptedTlsServer.Name,
            Port = server.Port,
            TlsName = ScriptedTlsServer.Name,
            Path = "/dns-query",
        };

    private static HttpsUpstreamTransport Transport(ScriptedTlsServer server)
    {
        var upstream = Options(server);
        return new HttpsUpstreamTransport(upstream, bootstrap: null, new UpstreamTls(upstream, server.Roots));
    }

    private static byte[] Response(int status, string? contentType, byte[] body)
    {
        var head = new StringBuilder().Append("HTTP/1.1 ").Append(status).Append(" Whatever\r\n");
        if (contentType is not null)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }

    /// <summary>A TLS server offering only HTTP/1.1 in ALPN, answering each request (keep-alive) with what <paramref name="respond"/> gives.</summary>
    private static ScriptedTlsServer Http11Server(Func<(string Head, byte[] Body), byte[]> respond) =>
        new(
            async (stream, cancellation) =>
            {
                var reader = new BufferedReader(stream);
                while (await reader.ReadHeadAsync(cancellation) is { } head)
                {
                    int length = 0;
                    foreach (string line in head.Split("\r\n"))
                    {
                        if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                        {
                            length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }

                    byte[] body = await reader.ReadBytesAsync(length, cancellation);
                    await stream.WriteAsync(respond((head, body)), cancellation);
                    await stream.FlushAsync(cancellation);
                }
            },
            [SslApplicationProtocol.Http11]);

    /// <summary>Reads an HTTP/1.1 request head and body from a stream, keeping what it read past the head.</summary>
    private sealed class BufferedReader(Stream stream)
    {
        private readonly List<byte> _pending = [];

        public async Task<string?> ReadHeadAsync(CancellationToken cancellation)
        {
            byte[] chunk = new byte[4096];
            while (true)
            {
                int end = IndexOfHeadEnd();
                if (end >= 0)
                {
                    string head = Encoding.ASCII.GetString([.. _pending.GetRange(0, end)]);
                    _pending.RemoveRange(0, end + 4);
                    return head;
                }

                int read = await stream.ReadAsync(chunk, cancellation);
                if (read == 0)
                {
                    return null;
                }

                _pending.AddRange(chunk.AsSpan(0, read));
            }
        }

        public async Task<byte[]> ReadBytesAsync(int count, CancellationToken cancellation)
        {
            byte[] chunk = new byte[4096];
            while (_pending.Count < count)
            {
                int read = await stream.ReadAsync(chunk, cancellation);
                if (read == 0)
                {
                    throw new EndOfStreamException();
                }

                _pending.AddRange(chunk.AsSpan(0, read));
            }

            byte[] body = [.. _pending.GetRange(0, count)];
            _pending.RemoveRange(0, count);
            return body;
        }

        private int IndexOfHeadEnd()
        {
            for (int i = 0; i + 3 < _pending.Count; i++)
            {
                if (_pending[i] == '\r' && _pending[i + 1] == '\n' && _pending[i + 2] == '\r' && _pending[i + 3] == '\n')
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
