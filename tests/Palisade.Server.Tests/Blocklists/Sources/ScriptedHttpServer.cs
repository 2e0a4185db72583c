using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Server.Tests.Blocklists.Sources;

/// <summary>
/// A real HTTP server on 127.0.0.1 (a free high port) whose answer to each request is scripted by
/// <see cref="Respond"/>. It records what it was asked, and stops (ending hung requests) when disposed.
/// </summary>
internal sealed class ScriptedHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentBag<Task> _handlers = [];
    private TaskCompletionSource _requestSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ScriptedHttpServer(HttpListener listener, int port)
    {
        _listener = listener;
        Port = port;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>How the next requests are answered; the default is 404.</summary>
    public Func<HttpListenerContext, CancellationToken, Task> Respond { get; set; } = (context, _) => ScriptedResponses.Status(context, 404);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}/{path.TrimStart('/')}");

    /// <summary>Completes when the next request arrives (before it is answered).</summary>
    public Task NextRequest()
    {
        return _requestSeen.Task;
    }

    public static ScriptedHttpServer Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new ScriptedHttpServer(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        _listener.Close();
        await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.WhenAll(_handlers).WaitAsync(TimeSpan.FromSeconds(10));
        _stopping.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _requests.Enqueue(new RecordedRequest(
                context.Request.Url?.AbsolutePath ?? "",
                context.Request.Headers["If-None-Match"],
                context.Request.Headers["If-Modified-Since"],
                context.Request.Headers["User-Agent"]));
            Interlocked.Exchange(ref _requestSeen, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            _handlers.Add(HandleAsync(context, Respond));
        }
    }

    private async Task HandleAsync(HttpListenerContext context, Func<HttpListenerContext, CancellationToken, Task> respond)
    {
        try
        {
            await respond(context, _stopping.Token);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away (a timeout, a refused body) or the server is stopping: drop the connection.
            context.Response.Abort();
        }
    }
}
