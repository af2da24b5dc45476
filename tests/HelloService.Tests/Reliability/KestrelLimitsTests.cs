using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace HelloService.Tests.Reliability;

/// <summary>
/// The Kestrel limits the hosting code sets. Each input is one that Kestrel's own default would let
/// through (default: 100 headers, 30,000,000-byte bodies, a <c>Server</c> header, a 30 s header
/// timeout, a 130 s keep-alive), so a test fails when the service's line is removed. The request
/// line (8 KiB) and the headers' total size (32 KiB) are Kestrel's defaults: their tests fail only
/// when the limit is raised.
/// </summary>
public class KestrelLimitsTests(AppFixture<KestrelLimitsTests> fixture) : IClassFixture<AppFixture<KestrelLimitsTests>>, IAppSettings
{
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => new Dictionary<string, string?> { ["Server:MaxAppConnections"] = "3" };

    [Fact]
    public async Task OverlongRequestLineIs414()
    {
        using var client = _app.App();
        using var response = await client.GetAsync($"/hello-world?name={new string('a', 9000)}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
    }

    [Fact]
    public async Task OversizedHeadersAre431()
    {
        using var client = _app.App();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello-world?count=0");
        request.Headers.Add("X-Padding", new string('p', 40 * 1024));

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task EightyHeadersAre431ThoughKestrelsDefaultAllowsAHundred()
    {
        using var client = _app.App();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello-world?count=0");
        for (var i = 0; i < 80; i++)
        {
            request.Headers.Add($"X-H{i}", "v");
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task AnswersCarryNoServerHeader()
    {
        using var client = _app.App();
        using var response = await client.GetAsync("/hello-world?count=0", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Headers.Server);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task ABodyOverOneKilobyteIsNotReadAndItsConnectionIsClosed()
    {
        // No endpoint reads a body, so Kestrel applies the limit when it would drain the body after
        // the answer: over the limit it closes the connection instead of reading on. Under Kestrel's
        // default (30,000,000 bytes) a 2 KiB body is drained and the connection serves a second request.
        Assert.True(await SecondRequestAnsweredAfterABodyOf(1000), "a 1,000-byte body (under the limit) closed the connection");
        Assert.False(await SecondRequestAnsweredAfterABodyOf(2048), "a 2,048-byte body was read: the 1,024-byte limit is not in force");
    }

    [Fact]
    public async Task HeadersNotFinishedWithinTenSecondsAreAnswered408()
    {
        // The management port: the app port's silent-connection timeout (5 s) would close it first.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _app.ManagementPort, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        var stopwatch = Stopwatch.StartNew();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /healthz/live HTTP/1.1\r\nHost: x\r\n"), TestContext.Current.CancellationToken);

        // Kestrel checks its timeouts once a second: 10 s shows as 10-11 s; its default, 30 s, would not answer in 20.
        var answer = await ReadUntilClosedAsync(stream, TimeSpan.FromSeconds(20));

        Assert.True(answer.StartsWith("HTTP/1.1 408 ", StringComparison.Ordinal), $"after {stopwatch.Elapsed.TotalSeconds:F1} s: '{answer}'");
    }

    [Fact]
    public void IdleConnectionsAreKeptFor75Seconds()
    {
        // An idle connection is closed after 75 s instead of Kestrel's 130 s: waiting that out would
        // make this a 75-second test, so it reads the limit the running server was configured with.
        var limits = _app.Get<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(TimeSpan.FromSeconds(75), limits.KeepAliveTimeout);
        Assert.NotEqual(new KestrelServerOptions().Limits.KeepAliveTimeout, limits.KeepAliveTimeout);
    }

    [Fact]
    public async Task AppPortConnectionsOverTheCapAreClosedWhileTheManagementPortStillAnswers()
    {
        var held = new List<TcpClient>();
        try
        {
            // Hold the three connections the app port allows, each mid-request.
            for (var i = 0; i < 3; i++)
            {
                var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, _app.AppPort, TestContext.Current.CancellationToken);
                await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /hello-world?count=0 HTTP/1.1\r\nHost: x\r\n"), TestContext.Current.CancellationToken);
                held.Add(tcp);
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
            using var client = _app.App();
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/hello-world?count=0", TestContext.Current.CancellationToken));

            using var management = _app.Management();
            using var live = await management.GetAsync("/healthz/live", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            held.ForEach(t => t.Dispose());
        }

        // Once they are gone, the app port serves again.
        await Tests.Ackermann.BurnSchedulerTests.WaitUntil(() =>
        {
            using var client = _app.App();
            try
            {
                using var response = client.GetAsync("/hello-world?count=0").GetAwaiter().GetResult();
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        });
    }

    /// <summary>
    /// On one connection: a GET with a body of <paramref name="bodyBytes"/>, its answer, then a
    /// second GET; whether the second one was answered (false: the connection was closed).
    /// </summary>
    private async Task<bool> SecondRequestAnsweredAfterABodyOf(int bodyBytes)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _app.AppPort, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        var first = $"GET /hello-world?count=0 HTTP/1.1\r\nHost: x\r\nContent-Length: {bodyBytes}\r\n\r\n{new string('b', bodyBytes)}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(first), TestContext.Current.CancellationToken);
        var answer = await ReadUntilAsync(stream, "\r\n0\r\n\r\n", TimeSpan.FromSeconds(10));
        Assert.True(answer.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal), answer);

        try
        {
            await stream.WriteAsync("GET /hello-world?count=0 HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
            return (await ReadUntilAsync(stream, "\r\n0\r\n\r\n", TimeSpan.FromSeconds(10))).StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false; // reset by the server
        }
    }

    /// <summary>What arrives until <paramref name="end"/> is seen (null: never), the connection closes, or <paramref name="limit"/> passes.</summary>
    private static async Task<string> ReadUntilAsync(NetworkStream stream, string? end, TimeSpan limit)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (end is null || !received.ToString().Contains(end, StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            // The limit passed: return what came.
        }

        return received.ToString();
    }

    private static Task<string> ReadUntilClosedAsync(NetworkStream stream, TimeSpan limit) => ReadUntilAsync(stream, null, limit);
}
