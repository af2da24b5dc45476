using System.Globalization;

using HelloService.Testing;

using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace HelloService.Tests.Demo;

/// <summary>
/// Three service processes (three "pods", each measuring its own CPU) with different CPU requests
/// behind a round-robin proxy: the page shows each one's utilization of its own request and lists
/// a load job held by one of them. With <c>DEMO_SCREENSHOT=path</c> the test keeps the load on for
/// 40 s and saves a screenshot (docs/demo-page.png).
/// </summary>
[Trait("Category", "Slow")]
[Collection(nameof(BrowserTests))]
public sealed class ThreePodsPageTests(Chromium chromium) : IClassFixture<Chromium>
{
    private static readonly int[] Requests = [100, 200, 400];

    [Fact]
    public async Task EachPodsBarIsItsOwnUtilizationOfItsOwnRequest()
    {
        var pods = await Task.WhenAll(Requests.Select((request, i) => ServiceProcess.StartReadyAsync(new Dictionary<string, string>
        {
            ["Server__InstanceName"] = $"demo-{i + 1}",
            ["HelloWorld__WorkerNice"] = "0",
            ["Pod__CpuRequestMillicores"] = request.ToString(CultureInfo.InvariantCulture),
        }, warmUp: true)));
        try
        {
            await using var proxy = await RoundRobinProxy.StartAsync(pods.Select(p => p.AppPort));
            using (var client = new HttpClient { BaseAddress = pods[2].AppUri })
            {
                (await client.PostAsync("/load/cpu?millicores=150&seconds=300", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
            }

            await using var watched = await chromium.NewPageAsync();
            var page = watched.Page;
            await page.GotoAsync(proxy.Url);
            await page.Locator("#demand").FillAsync("300");
            await page.Locator("#request-ms").FillAsync("50");
            await page.Locator("#start").ClickAsync();

            // The job lives on demo-3; the list shows it whichever instance answers the poll.
            await Expect(page.Locator("#jobs tr[data-host='demo-3']")).ToHaveCountAsync(1);
            var screenshot = Environment.GetEnvironmentVariable("DEMO_SCREENSHOT");
            await Task.Delay(TimeSpan.FromSeconds(string.IsNullOrEmpty(screenshot) ? 16 : 40), TestContext.Current.CancellationToken);

            var utilization = new Dictionary<string, double>();
            foreach (var row in await page.Locator("#hpa-pods tr[data-host]").AllAsync())
            {
                utilization[(await row.GetAttributeAsync("data-host"))!] = double.Parse((await row.GetAttributeAsync("data-utilization"))!, CultureInfo.InvariantCulture);
            }

            var average = double.Parse((await page.Locator("#hpa-average").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
            var desired = int.Parse((await page.Locator("#hpa-desired").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
            if (!string.IsNullOrEmpty(screenshot))
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            }

            await page.Locator("#stop").ClickAsync();
            var figures = string.Join(", ", utilization.Select(u => $"{u.Key} {u.Value:F0}%"));
            Figures.Report($"demo page, 3 processes with requests 100m/200m/400m, 300m of cpuMs=50 and a 150m job on demo-3: {figures}; average {average:F0}%, HPA wants {desired}");

            // demo-1 and demo-2 burn about the same (a third of the demand each) against requests of 100m and 200m.
            Assert.Equal(["demo-1", "demo-2", "demo-3"], utilization.Keys.Order());
            Assert.True(utilization["demo-1"] > 1.3 * utilization["demo-2"], figures);
            Assert.True(utilization["demo-1"] > utilization["demo-3"], figures);
            var ratio = average / 80;
            Assert.Equal(Math.Abs(ratio - 1) <= 0.1 ? 3 : (int)Math.Ceiling(3 * ratio - 1e-9), desired);
            Assert.DoesNotContain(watched.Problems, p => !p.StartsWith("request failed: ", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var pod in pods)
            {
                pod.Dispose();
            }
        }
    }
}
