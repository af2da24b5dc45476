using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HelloService.Tests.Reliability;

/// <summary>Sockets that connect and never send a byte, against the app port's connection cap.</summary>
[Trait("Category", "Slow")]
public class SilentConnectionTests
{
    [Fact]
    public async Task SilentSocketsAtTheConnectionLimitDoNotLockOutTheAppPort()
    {
        using var app = await ServiceProcess.StartReadyAsync(new Dictionary<string, string>
        {
            ["Server__MaxAppConnections"] = "4",
            ["Server__SilentConnectionSeconds"] = "1",
        });
        var silent = await OpenSilentAsync(app.AppPort, 4);
        try
        {
            // Real clients get through within seconds (1 s expected), not after the 75 s keep-alive.
            var stopwatch = Stopwatch.StartNew();
            await Ackermann.BurnSchedulerTests.WaitUntil(() => GreetingSucceeds(app.AppPort), seconds: 15);
            Figures.Report($"silent sockets at the cap: first greeting after {stopwatch.Elapsed.TotalMilliseconds:F0} ms");

            // The silent sockets were closed by the service (end of stream or reset).
            Assert.All(silent, socket => Assert.True(ClosedByServer(socket), "a silent socket is still open"));
        }
        finally
        {
            silent.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task ProbesStayReachableWhenTheSharedPortIsFullOfSilentSockets()
    {
        var port = ServiceProcess.FreePort();
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var app = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["Server__AppPort"] = portText,
            ["Server__ManagementPort"] = portText,
            ["Server__MaxAppConnections"] = "2",
            ["Server__SilentConnectionSeconds"] = "60",
        });
        using (var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) })
        {
            await Ackermann.BurnSchedulerTests.WaitUntil(() => GracefulShutdownTests.StatusOf(probe, "/healthz/ready") == HttpStatusCode.OK, seconds: 30);
        }

        var silent = await OpenSilentAsync(port, 2);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

            using (var live = await client.GetAsync("/healthz/live", TestContext.Current.CancellationToken))
            {
                // Whether this probe came beyond the cap (and so gets Connection: close) depends on when
                // the server accepted the silent sockets; that it is answered is what matters.
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }

            using (var ready = await client.GetAsync("/healthz/ready", TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            }

            // Anything but a probe is still refused while the cap is reached (on a new connection: the
            // probes' one may have been admitted before the server had counted the silent sockets).
            using var fresh = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            using var greeting = await fresh.GetAsync("/hello-world?count=0", TestContext.Current.CancellationToken);
            await greeting.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(greeting.Headers.RetryAfter);
            Assert.True(greeting.Headers.ConnectionClose);
        }
        finally
        {
            silent.ForEach(s => s.Dispose());
        }
    }

    private static async Task<List<TcpClient>> OpenSilentAsync(int port, int count)
    {
        var sockets = new List<TcpClient>();
        for (var i = 0; i < count; i++)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
            sockets.Add(tcp);
        }

        await Task.Delay(1000, TestContext.Current.CancellationToken); // let the server accept them
        return sockets;
    }

    private static bool ClosedByServer(TcpClient socket)
    {
        socket.Client.ReceiveTimeout = 15_000;
        try
        {
            return socket.GetStream().Read(new byte[1]) == 0;
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return true;
        }
    }

    private static bool GreetingSucceeds(int port)
    {
        try
        {
            using var tcp = new TcpClient();
            tcp.Connect(IPAddress.Loopback, port);
            tcp.ReceiveTimeout = 2000;
            var stream = tcp.GetStream();
            stream.Write(Encoding.ASCII.GetBytes("GET /hello-world?count=0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            var buffer = new byte[64];
            var read = stream.Read(buffer);
            return read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }
}
