using System.Globalization;
using System.Net;
using System.Text.Json;

using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace HelloService.Tests.Demo;

/// <summary>The demo page's HPA view (utilization of the request, desired replicas) and its load job list, in Chromium.</summary>
[Trait("Category", "Slow")]
[Collection(nameof(BrowserTests))]
public sealed class HpaAndJobsPageTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task UtilizationBarsShowTheRequestAndTheDesiredReplicasFollowTheHpaFormula()
    {
        // A small request and a short window: 300m of demand is ~300% of it within seconds.
        await using var app = new HelloServiceApp(new Dictionary<string, string?>
        {
            ["Server:InstanceName"] = "demo-hpa",
            ["HelloWorld:WorkerNice"] = "0",
            ["Pod:CpuRequestMillicores"] = "100",
            ["Pod:WindowSeconds"] = "3",
        }).Started();
        await using var watched = await chromium.NewPageAsync();
        var page = watched.Page;

        await page.GotoAsync($"http://127.0.0.1:{app.AppPort}/?target=50");
        await Expect(page.Locator("#hpa-target")).ToHaveTextAsync("50%");
        await Expect(page.Locator("#hpa-pods tr[data-host='demo-hpa']")).ToHaveCountAsync(1);
        await page.Locator("#demand").FillAsync("300");
        await page.Locator("#request-ms").FillAsync("50");
        await page.Locator("#start").ClickAsync();

        // Above the target by more than the tolerance: the HPA wants more than the one pod.
        await Expect(page.Locator("#hpa-desired")).Not.ToHaveAttributeAsync("data-value", new System.Text.RegularExpressions.Regex("^(unknown|1)$"),
            new LocatorAssertionsToHaveAttributeOptions { Timeout = 30_000 });
        var average = double.Parse((await page.Locator("#hpa-average").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
        var desired = int.Parse((await page.Locator("#hpa-desired").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
        var row = page.Locator("#hpa-pods tr[data-host='demo-hpa']");
        var utilization = double.Parse((await row.GetAttributeAsync("data-utilization"))!, CultureInfo.InvariantCulture);
        await page.Locator("#stop").ClickAsync();

        // One pod: desired = ceil(1 x average / 50), and the bar is that pod's own figure against its 100m request.
        Assert.True(average > 55, $"average {average}%");
        Assert.Equal((int)Math.Ceiling(average / 50 - 1e-9), desired);
        Assert.InRange(utilization, average - 25, average + 25); // polled a moment apart
        Assert.Contains("of 100m", await row.Locator("td.util").TextContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(watched.Problems, p => !p.StartsWith("request failed: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutARequestTheDesiredReplicasAreUnknown()
    {
        await using var app = new HelloServiceApp(new Dictionary<string, string?> { ["Server:InstanceName"] = "demo-norequest" }).Started();
        await using var watched = await chromium.NewPageAsync();
        var page = watched.Page;

        await page.GotoAsync($"http://127.0.0.1:{app.AppPort}/");

        await Expect(page.Locator("#hpa-pods tr[data-host='demo-norequest']")).ToHaveAttributeAsync("data-utilization", "unknown");
        await Expect(page.Locator("#hpa-why")).ToContainTextAsync("CPU request of demo-norequest is unknown");
        Assert.Equal("unknown", await page.Locator("#hpa-desired").TextContentAsync());
        Assert.Equal("80%", await page.Locator("#hpa-target").TextContentAsync());
    }

    [Fact]
    public async Task ARunningCpuJobIsListedAndStopCancelsIt()
    {
        await using var app = new HelloServiceApp(new Dictionary<string, string?> { ["Server:InstanceName"] = "demo-jobs" }).Started();
        using var client = app.App();
        using var started = await client.PostAsync("/load/cpu?millicores=200&seconds=120", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = JsonDocument.Parse(await started.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("id").GetInt64();
        await using var watched = await chromium.NewPageAsync();
        var page = watched.Page;

        await page.GotoAsync($"http://127.0.0.1:{app.AppPort}/");
        var row = page.Locator($"#jobs tr[data-job-id='{id}']");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td.kind")).ToHaveTextAsync("CPU");
        await Expect(row.Locator("td.host")).ToHaveTextAsync("demo-jobs");
        await Expect(row.Locator("td.goal")).ToHaveTextAsync("200 m");
        await Expect(row.Locator("td.left")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(2 min|1\d\d s)$"));
        await Expect(page.Locator("#job-count")).ToHaveTextAsync("1");

        var delete = await page.RunAndWaitForRequestAsync(() => row.Locator("button.stop-job").ClickAsync(), r => r.Method == "DELETE");

        await Expect(row).ToHaveCountAsync(0);
        await Expect(page.Locator("#job-count")).ToHaveTextAsync("0");
        using var after = JsonDocument.Parse(await client.GetStringAsync($"/load/{id}", TestContext.Current.CancellationToken));
        Assert.Equal("cancelled", after.RootElement.GetProperty("state").GetString());
        Assert.EndsWith($"/load/{id}", delete.Url, StringComparison.Ordinal);
        Assert.Equal(started.Headers.ETag?.ToString(), await delete.HeaderValueAsync("if-match"));
        Assert.Empty(watched.Problems);
    }
}
