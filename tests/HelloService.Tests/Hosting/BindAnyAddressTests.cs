using System.Net;
using System.Net.Sockets;

namespace HelloService.Tests.Hosting;

/// <summary>The production default, <c>Server__BindAddress=*</c>: both ports over IPv4 and IPv6 loopback.</summary>
[Trait("Category", "Slow")]
public class BindAnyAddressTests
{
    [Fact]
    public async Task BothPortsAnswerOver127001AndIpv6Loopback()
    {
        Assert.SkipUnless(Ipv6LoopbackConfigured(), "::1 is not configured on this machine (no IPv6 loopback to reach)");
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["Server__BindAddress"] = "*" });

        foreach (var host in new[] { "127.0.0.1", "[::1]" })
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var greeting = await client.GetAsync($"http://{host}:{service.AppPort}/hello-world?count=1&m=3", TestContext.Current.CancellationToken);
            Assert.Equal(61, (await greeting.JsonAsync(HttpStatusCode.OK)).GetProperty("ackermann").GetProperty("value").GetInt32());
            using var ready = await client.GetAsync($"http://{host}:{service.ManagementPort}/healthz/ready", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
    }

    private static bool Ipv6LoopbackConfigured()
    {
        try
        {
            using var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
