using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Palisade.Protocol;
using Palisade.Server;
using Palisade.Server.Transport.Tls;

namespace Palisade.Doh;

/// <summary>
/// DNS over HTTPS for clients (RFC 8484) at <c>/dns-query</c> on every <c>httpsListen</c> address: Kestrel, HTTP/2 and
/// HTTP/1.1 over TLS with the server's certificate, in front of the same pipeline, cache and blocking as every transport.
/// </summary>
internal sealed partial class DohServer : IAsyncDisposable
{
    public const string Path = "/dns-query";

    private readonly WebApplication _app;

    private DohServer(WebApplication app) => _app = app;

    /// <summary>The addresses bound (real ports when 0 was asked for).</summary>
    public IReadOnlyList<string> Urls => [.. _app.Urls];

    public static async Task<DohServer> StartAsync(
        IReadOnlyList<IPEndPoint> listen,
        PalisadeServer palisade,
        ServerCertificate certificate,
        ILoggerFactory loggerFactory)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = DohRequest.MaxQueryLength + 1;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            foreach (var endPoint in listen)
            {
                kestrel.Listen(endPoint, options =>
                {
                    options.Protocols = HttpProtocols.Http1AndHttp2;
                    options.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        HandshakeTimeout = TimeSpan.FromSeconds(10),
                        OnConnection = context => HandshakeOptionsAsync(certificate, context),
                    });
                });
            }
        });

        var app = builder.Build();
        var logger = loggerFactory.CreateLogger<DohServer>();
        app.Map(Path, (HttpContext context) => AnswerAsync(context, palisade));
        app.MapFallback((HttpContext context) =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync($"DNS over HTTPS is served at {Path}\n");
        });
        await app.StartAsync().ConfigureAwait(false);
        foreach (var url in app.Urls)
        {
            LogListening(logger, url + Path);
        }

        return new DohServer(app);
    }

    /// <summary>Stops taking requests; those in flight are finished first.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    /// <summary>
    /// The options for one handshake. A client that asks (by SNI) for a name the certificate is not for gets the
    /// <c>unrecognized_name</c> alert (see <see cref="TlsAlert"/>), written on the connection under the TLS layer, which
    /// Kestrel has not swapped for the TLS one yet; the exception then ends the handshake, with no further bytes.
    /// </summary>
    private static async ValueTask<SslServerAuthenticationOptions> HandshakeOptionsAsync(ServerCertificate certificate, TlsHandshakeCallbackContext context)
    {
        string? serverName = context.ClientHelloInfo.ServerName;
        var selected = certificate.ContextFor(serverName);
        if (selected is null)
        {
            var output = context.Connection.Transport.Output;
            await output.WriteAsync(TlsAlert.UnrecognizedName, context.CancellationToken).ConfigureAwait(false);
            throw new UnrecognizedNameException($"the client asked for {serverName}, but the certificate is for {certificate.Names}");
        }

        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = selected,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        };
    }

    private static async Task AnswerAsync(HttpContext context, PalisadeServer palisade)
    {
        var (query, status, problem) = await DohRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (query is null)
        {
            await FailAsync(context, status, problem!).ConfigureAwait(false);
            return;
        }

        var connection = context.Connection;
        var client = new IPEndPoint(connection.RemoteIpAddress ?? IPAddress.IPv6None, connection.RemotePort);
        await palisade.AnswerHttpsQueryAsync(query, client, context, SendAsync, context.RequestAborted).ConfigureAwait(false);
        if (!context.Response.HasStarted)
        {
            // The pipeline dropped it (a client not allowed with access.action: drop, say): HTTP must say something.
            await FailAsync(context, StatusCodes.Status403Forbidden, "no answer for this client").ConfigureAwait(false);
        }
    }

    private static async ValueTask SendAsync(HttpContext context, ReadOnlyMemory<byte> answer)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = DohRequest.MediaType;
        response.ContentLength = answer.Length;

        // RFC 8484 s5.1: HTTP caches may keep the answer as long as its smallest TTL.
        uint maxAge = DnsMessageInspector.TryGetMinimumAnswerTtl(answer.Span, out uint ttl) ? ttl
            : DnsMessageInspector.TryGetNegativeTtl(answer.Span, out ttl) ? ttl
            : 0;
        response.Headers.CacheControl = $"max-age={maxAge}";
        await response.Body.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task FailAsync(HttpContext context, int status, string problem)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(problem + "\n", context.RequestAborted);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Listening on {Url} (DNS over HTTPS)")]
    private static partial void LogListening(ILogger logger, string url);
}
