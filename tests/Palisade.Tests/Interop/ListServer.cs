using System.Net;
using System.Text;

namespace Palisade.Tests.Interop;

/// <summary>
/// A real HTTP server on 127.0.0.1 serving one blocklist, scriptable between requests: the list, a status code, or an
/// empty body. Bounded: it stops when disposed.
/// </summary>
internal sealed class ListServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly CancellationTokenSource _stopping = new();

    public ListServer()
    {
        Port = FreePort.Pick();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/list.txt";

    /// <summary>The list served with 200.</summary>
    public string Body { get; set; } = string.Empty;

    /// <summary>The status to answer with; the body is sent only with 200.</summary>
    public int Status { get; set; } = 200;

    public int Requests { get; private set; }

    /// <summary>
    /// When set, a 200 answer announces the whole body, sends only this many octets of it, completes
    /// <see cref="Stalled"/>, and then sends nothing more until the server is disposed: a download cut off midway.
    /// </summary>
    public int? StallAfter { get; set; }

    /// <summary>Completes when a response has stalled (see <see cref="StallAfter"/>).</summary>
    public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Requests++;
            using var response = context.Response;
            response.StatusCode = Status;
            if (Status == 200)
            {
                byte[] body = Encoding.UTF8.GetBytes(Body);
                response.ContentLength64 = body.Length;
                if (StallAfter is int part && part < body.Length)
                {
                    await response.OutputStream.WriteAsync(body.AsMemory(0, part));
                    await response.OutputStream.FlushAsync();
                    Stalled.TrySetResult();
                    try
                    {
                        await Task.Delay(Timeout.Infinite, _stopping.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        response.Abort();
                        return;
                    }
                }

                await response.OutputStream.WriteAsync(body);
            }
        }
    }
}
