using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HelloService.Tests.Reliability;

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
    public async Task TooManyHeadersAre431()
    {
        using var client = _app.App();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello-world?count=0");
        for (var i = 0; i < 100; i++)
        {
            request.Headers.Add($"X-H{i}", "v");
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
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
}
