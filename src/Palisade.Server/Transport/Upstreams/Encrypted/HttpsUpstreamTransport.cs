using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Palisade.Protocol;
using Palisade.Server.Configuration;

namespace Palisade.Server.Transport.Upstreams.Encrypted;

/// <summary>
/// DNS over HTTPS to one upstream (RFC 8484): POST of <c>application/dns-message</c>, over one HTTP/2 connection with a
/// stream per query; HTTP/1.1 (a pool of connections) from the moment a server turns out not to speak HTTP/2. HTTP/2 is
/// asked for exactly rather than "or lower", because until a first connection has said which it speaks, "or lower" opens
/// a connection per waiting query, and a burst of queries then opens more than a server such as Unbound takes. The query's ID is 0 on the wire (s4.1) and put
/// back in the answer; queries are padded (RFC 8467). Connections go to the URL's address, or to its host name's
/// addresses looked up through bootstrap; never through a proxy, so what the system's proxy settings say cannot reroute DNS.
/// </summary>
internal sealed class HttpsUpstreamTransport : IUpstreamTransport, IDisposable
{
    private const string MediaType = "application/dns-message";

    private static readonly MediaTypeWithQualityHeaderValue Accept = new(MediaType);

    private readonly UpstreamOptions _upstream;
    private readonly HttpClient _http;
    private readonly Uri _uri;
    private readonly UpstreamTls _tls;
    private volatile bool _http11;

    /// <summary>A transport to <paramref name="upstream"/>; <paramref name="tls"/> replaces the certificate checks (tests).</summary>
    public HttpsUpstreamTransport(UpstreamOptions upstream, BootstrapResolver? bootstrap, UpstreamTls? tls = null)
    {
        _upstream = upstream;
        _tls = tls ?? new UpstreamTls(upstream);
        var connector = new UpstreamConnector(upstream, bootstrap);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions = _tls.CreateOptions([SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]),
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = await connector.ConnectAsync(cancellation).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        string host = upstream.HostName ?? (upstream.EndPoint!.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{upstream.EndPoint.Address}]"
            : upstream.EndPoint.Address.ToString());
        _uri = new Uri($"https://{host}:{upstream.Port}{upstream.Path}");
    }

    public async ValueTask<UpstreamResponse> ExchangeAsync(ReadOnlyMemory<byte> query, CancellationToken cancellation)
    {
        byte[] body = new byte[query.Length + TlsUpstreamConnection.QueryPaddingBlock + 4];
        query.Span.CopyTo(body);
        BinaryPrimitives.WriteUInt16BigEndian(body, 0);
        int length = query.Length;
        DnsOptEditor.TryPad(body, ref length, TlsUpstreamConnection.QueryPaddingBlock);

        HttpResponseMessage response;
        try
        {
            try
            {
                response = await SendAsync(body, length, cancellation).ConfigureAwait(false);
            }
            catch (HttpRequestException exception) when (!_http11 && NoHttp2(exception))
            {
                // The server does not speak HTTP/2: it chose no "h2" in ALPN, or refused the handshake for offering
                // only "h2" (as strict servers do). HTTP/1.1 from now on, if that works.
                _http11 = true;
                try
                {
                    response = await SendAsync(body, length, cancellation).ConfigureAwait(false);
                }
                catch
                {
                    _http11 = false;
                    throw;
                }
            }
        }
        catch (HttpRequestException exception) when (FindInner<AuthenticationException>(exception) is { } authentication)
        {
            throw _tls.HandshakeFailed(authentication);
        }
        catch (HttpRequestException exception) when (FindInner<UpstreamException>(exception) is { } upstreamFailure)
        {
            throw upstreamFailure;
        }
        catch (HttpRequestException exception)
        {
            throw new UpstreamException($"{_upstream}: {Describe(exception)}", exception);
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new UpstreamException($"{_upstream} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentType?.MediaType is not MediaType)
            {
                throw new UpstreamException($"{_upstream} answered with '{response.Content.Headers.ContentType}', not {MediaType}");
            }

            var answer = await ReadBodyAsync(response, cancellation).ConfigureAwait(false);
            query.Span[..2].CopyTo(answer.Buffer);
            if (!UpstreamQuery.Matches(query.Span, answer.Span))
            {
                answer.Release();
                throw new UpstreamException($"{_upstream} answered a different question");
            }

            return answer;
        }
    }

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> SendAsync(byte[] body, int length, CancellationToken cancellation)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _uri)
        {
            Content = new ByteArrayContent(body, 0, length),
            Version = _http11 ? HttpVersion.Version11 : HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaType);
        request.Headers.Accept.Add(Accept);
        return _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
    }

    /// <summary>Reads the body into a pooled buffer, refusing one larger than a DNS message can be.</summary>
    private async Task<UpstreamResponse> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        if (response.Content.Headers.ContentLength is > ushort.MaxValue)
        {
            throw new UpstreamException($"{_upstream} sent a body of {response.Content.Headers.ContentLength} octets, more than a DNS message can be");
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue + 1);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int length = 0;
                while (true)
                {
                    int read = await stream.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    if (length > ushort.MaxValue)
                    {
                        throw new UpstreamException($"{_upstream} sent a body larger than a DNS message can be");
                    }
                }

                if (length < DnsConstants.HeaderSize)
                {
                    throw new UpstreamException($"{_upstream} sent {length} octets, too few for a DNS message");
                }

                var answer = new UpstreamResponse(buffer, length);
                buffer = null!;
                return answer;
            }
        }
        catch (IOException exception)
        {
            throw new UpstreamException($"{_upstream}: the answer broke off ({exception.Message})", exception);
        }
        catch (HttpRequestException exception)
        {
            throw new UpstreamException($"{_upstream}: {exception.Message}", exception);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private bool NoHttp2(HttpRequestException exception) =>
        exception.HttpRequestError == HttpRequestError.VersionNegotiationError ||
        (FindInner<AuthenticationException>(exception) is not null && !_tls.HasCertificateProblem);

    /// <summary>The message with its causes: HttpClient's own ("An error occurred while sending the request") says little.</summary>
    private static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            parts.Add(current.Message.TrimEnd('.'));
        }

        return string.Join(": ", parts.Distinct(StringComparer.Ordinal));
    }

    private static T? FindInner<T>(Exception exception)
        where T : Exception
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is T found)
            {
                return found;
            }
        }

        return null;
    }
}
