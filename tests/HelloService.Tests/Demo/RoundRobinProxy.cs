using System.Net;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HelloService.Tests.Demo;

/// <summary>
/// A few lines of Kestrel standing in for a Kubernetes Service: each request goes to the next
/// backend in turn, on 127.0.0.1. <c>/hello-world</c> has its own turn, so the page's status
/// polls do not skew the greetings' shares. Cancellation is passed on, as a proxy would.
/// </summary>
internal sealed class RoundRobinProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Host", "Proxy-Connection", "TE", "Trailer",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
    private readonly string[] _backends;
    private readonly long[] _turns = new long[2];

    private RoundRobinProxy(int port, IEnumerable<int> backendPorts)
    {
        Port = port;
        _backends = backendPorts.Select(p => $"http://127.0.0.1:{p}").ToArray();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(ForwardAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    public static async Task<RoundRobinProxy> StartAsync(IEnumerable<int> backendPorts)
    {
        var proxy = new RoundRobinProxy(ServiceProcess.FreePort(), backendPorts);
        await proxy._app.StartAsync();
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var turn = Interlocked.Increment(ref _turns[context.Request.Path == "/hello-world" ? 0 : 1]);
        var backend = _backends[turn % _backends.Length];
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), backend + context.Request.Path + context.Request.QueryString);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!HopByHop.Contains(name))
            {
                request.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The browser went away (the page's Stop aborts what is in flight); so does the backend request.
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
        }
    }
}
