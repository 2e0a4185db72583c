using System.Globalization;
using System.Net;

namespace Palisade.Server.Tests.Blocklists.Sources;

/// <summary>Answers for <see cref="ScriptedHttpServer.Respond"/>.</summary>
internal static class ScriptedResponses
{
    public static Task Status(HttpListenerContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength64 = 0;
        context.Response.Close();
        return Task.CompletedTask;
    }

    /// <summary>200 with the body and validators; 304 when the request's If-None-Match is the ETag.</summary>
    public static Func<HttpListenerContext, CancellationToken, Task> Ok(byte[] body, string? etag = null, DateTimeOffset? lastModified = null) =>
        async (context, cancellation) =>
        {
            if (etag is not null)
            {
                context.Response.Headers["ETag"] = etag;
            }

            if (lastModified is { } modified)
            {
                context.Response.Headers["Last-Modified"] = modified.ToString("r", CultureInfo.InvariantCulture);
            }

            if (etag is not null && context.Request.Headers["If-None-Match"] == etag)
            {
                await Status(context, 304);
                return;
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body, cancellation);
            context.Response.Close();
        };

    /// <summary>304 when If-Modified-Since is given (the list never changes), else 200.</summary>
    public static Func<HttpListenerContext, CancellationToken, Task> OkByDate(byte[] body, DateTimeOffset lastModified) =>
        async (context, cancellation) =>
        {
            context.Response.Headers["Last-Modified"] = lastModified.ToString("r", CultureInfo.InvariantCulture);
            if (context.Request.Headers["If-Modified-Since"] is not null)
            {
                await Status(context, 304);
                return;
            }

            context.Response.StatusCode = 200;
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body, cancellation);
            context.Response.Close();
        };

    /// <summary>200 without a Content-Length (chunked), the body in pieces.</summary>
    public static Func<HttpListenerContext, CancellationToken, Task> Chunked(byte[] body) =>
        async (context, cancellation) =>
        {
            context.Response.StatusCode = 200;
            context.Response.SendChunked = true;
            for (var offset = 0; offset < body.Length; offset += 4096)
            {
                await context.Response.OutputStream.WriteAsync(body.AsMemory(offset, Math.Min(4096, body.Length - offset)), cancellation);
            }

            context.Response.Close();
        };

    /// <summary>Declares the whole body's length, sends the first part, then drops the connection.</summary>
    public static Func<HttpListenerContext, CancellationToken, Task> CutShort(byte[] body, int sent) =>
        async (context, cancellation) =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body.AsMemory(0, sent), cancellation);
            await context.Response.OutputStream.FlushAsync(cancellation);
            context.Response.Abort();
        };

    /// <summary>Never answers (until the server stops).</summary>
    public static Task Hang(HttpListenerContext context, CancellationToken cancellation) =>
        Task.Delay(Timeout.Infinite, cancellation);

    /// <summary>Sends the headers and the first part of the body, then goes silent (until the server stops).</summary>
    public static Func<HttpListenerContext, CancellationToken, Task> Stall(byte[] body, int sent) =>
        async (context, cancellation) =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body.AsMemory(0, sent), cancellation);
            await context.Response.OutputStream.FlushAsync(cancellation);
            await Task.Delay(Timeout.Infinite, cancellation);
        };
}
