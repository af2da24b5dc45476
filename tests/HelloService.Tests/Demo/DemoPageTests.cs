using System.Globalization;

using HelloService.HelloWorld;

using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace HelloService.Tests.Demo;

/// <summary>
/// The demo page in a real browser (Debian's Chromium through Playwright).
/// </summary>
[Trait("Category", "Slow")]
[Collection(nameof(BrowserTests))]
public sealed class DemoPageTests(Chromium chromium) : IClassFixture<Chromium>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PageLoadsWithoutErrorsShowsTheHostAndOnlyPollsStatusAndLoadJobsWhileIdle()
    {
        await using var app = new HelloServiceApp(new Dictionary<string, string?> { ["Server:InstanceName"] = "demo-solo" }).Started();
        await using var watched = await chromium.NewPageAsync();
        var origin = $"http://127.0.0.1:{app.AppPort}";

        await watched.Page.GotoAsync(origin + "/");
        await Expect(watched.Page.Locator("#host")).ToHaveTextAsync("demo-solo");
        await Expect(watched.Page.Locator("#processors")).ToHaveTextAsync(Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture));
        await Expect(watched.Page.Locator("#workers")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^0 / \d+$"));

        var loaded = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(4.5), TestContext.Current.CancellationToken);

        // Bad input is refused on the page: nothing is sent.
        await watched.Page.Locator("#demand").FillAsync("-5");
        await watched.Page.Locator("#start").ClickAsync();
        await Expect(watched.Page.Locator("#input-error")).ToContainTextAsync("Demand must be");
        await watched.Page.Locator("#demand").FillAsync("64000");
        await watched.Page.Locator("#request-ms").FillAsync("1");
        await Expect(watched.Page.Locator("#input-error")).ToContainTextAsync("at most 500/s");
        await watched.Page.Locator("#start").ClickAsync();
        await Expect(watched.Page.Locator("#sent")).ToHaveTextAsync("0");

        Assert.Empty(watched.Problems);
        var requests = watched.Requests;
        Assert.All(requests, r => Assert.StartsWith(origin + "/", r.Url, StringComparison.Ordinal));
        var idle = requests.Where(r => r.At > loaded).ToList();
        Assert.All(idle, r => Assert.Contains(r.Url, new[] { origin + "/status", origin + "/load" }));
        Assert.InRange(idle.Count(r => r.Url == origin + "/status"), 1, 3);
        Assert.InRange(idle.Count(r => r.Url == origin + "/load"), 1, 3);
        // Gaps on the browser's own clock: events reach the test late and bunched on a busy machine.
        var polls = await watched.Page.EvaluateAsync<double[]>(
            "() => performance.getEntriesByType('resource').filter(e => e.name.endsWith('/status')).map(e => e.startTime)");
        Assert.True(polls.Length >= 2, $"{polls.Length} status polls");
        for (var i = 1; i < polls.Length; i++)
        {
            Assert.True(polls[i] - polls[i - 1] >= 1900, $"status polled {polls[i] - polls[i - 1]:F0} ms after the previous poll");
        }
    }

    [Fact]
    public async Task ThreeInstancesBehindARoundRobinProxyShareTheDemandAndStopStopsTheRequests()
    {
        // Workers at nice 0: at the default 19 a busy shared machine starves the burn, and the page
        // would rightly show the shortfall instead of the demand this test is about.
        var apps = Enumerable.Range(1, 3)
            .Select(i => new HelloServiceApp(new Dictionary<string, string?>
            {
                ["Server:InstanceName"] = $"demo-{i}",
                ["HelloWorld:WorkerNice"] = "0",
                ["Pod:CpuRequestMillicores"] = "100", // one process: each reports the process's CPU, so only "known" is checked
            }).Started())
            .ToList();
        try
        {
            await using var proxy = await RoundRobinProxy.StartAsync(apps.Select(a => a.AppPort));
            foreach (var app in apps)
            {
                // Compile the burn first, so the page's first answers do not carry JIT time.
                using var client = app.App();
                (await client.GetAsync("/hello-world?cpuMs=20", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
            }

            await using var watched = await chromium.NewPageAsync();
            var page = watched.Page;
            await page.GotoAsync(proxy.Url);
            await Expect(page.Locator("#host")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^demo-[123]$"));
            await page.Locator("#demand").FillAsync("200");
            await page.Locator("#request-ms").FillAsync("50");
            await page.Locator("#start").ClickAsync();
            var started = DateTime.UtcNow;

            // Steady state: all three hosts with about a third each, the achieved demand near the target.
            var minimum = TimeSpan.FromSeconds(4);
            Observed observed;
            do
            {
                await Task.Delay(500, TestContext.Current.CancellationToken);
                observed = await ObserveAsync(page);
            }
            while (DateTime.UtcNow - started < Patience + minimum && !(DateTime.UtcNow - started >= minimum && observed.IsSteady));

            Assert.True(observed.IsSteady, $"not steady after {(DateTime.UtcNow - started).TotalSeconds:F0} s: {observed}; page problems: {string.Join("; ", watched.Problems)}");
            Assert.Equal(["demo-1", "demo-2", "demo-3"], observed.Shares.Keys.Order());
            Assert.Equal("200", await page.Locator("#target").GetAttributeAsync("data-value"));
            Assert.Equal(3, await page.Locator("#hpa-pods tr[data-host]:not([data-utilization='unknown'])").CountAsync());
            Assert.NotEqual("unknown", await page.Locator("#hpa-desired").GetAttributeAsync("data-value"));
            Figures.Report($"demo page, 3 instances, 200m of cpuMs=50: steady after {(DateTime.UtcNow - started).TotalSeconds:F1} s, {observed}, " +
                $"sent {await page.Locator("#sent").TextContentAsync()}, dropped {await page.Locator("#dropped").TextContentAsync()}");
            await page.Locator("#stop").ClickAsync();
            await Expect(page.Locator("#in-flight")).ToHaveTextAsync("0");
            await Task.Delay(500, TestContext.Current.CancellationToken);
            var greetings = apps.Sum(a => a.Get<GreetingCounter>().Last);
            var sent = await page.Locator("#sent").TextContentAsync();
            await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);

            Assert.True(greetings > 0, "no greeting was counted");
            Assert.Equal(greetings, apps.Sum(a => a.Get<GreetingCounter>().Last));
            Assert.Equal(sent, await page.Locator("#sent").TextContentAsync());
            // Stop aborts what is in flight; those show as failed requests, anything else is a fault.
            Assert.DoesNotContain(watched.Problems, p => !p.StartsWith("request failed: ", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task WithAnApiKeyThePageShowsTheHintThenWorksOnceTheKeyIsEntered()
    {
        const string key = "demo-key-0123456789";
        await using var app = new HelloServiceApp(new Dictionary<string, string?>
        {
            ["Server:InstanceName"] = "demo-keyed",
            ["HelloWorld:ApiKey"] = key,
        }).Started();
        await using var watched = await chromium.NewPageAsync();
        var page = watched.Page;

        await page.GotoAsync($"http://127.0.0.1:{app.AppPort}/");
        await page.Locator("#demand").FillAsync("200");
        await page.Locator("#request-ms").FillAsync("20");
        await page.Locator("#start").ClickAsync();
        await Expect(page.Locator("#key-hint")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#pods tr[data-host]").CountAsync());

        await page.Locator("#api-key").FillAsync(key);
        await Expect(page.Locator("#key-hint")).ToBeHiddenAsync();
        await Expect(page.Locator("#pods tr[data-host='demo-keyed']")).ToHaveCountAsync(1);
        await page.Locator("#stop").ClickAsync();
        Assert.True(app.Get<GreetingCounter>().Last > 0, "no request was answered with the key");
    }

    [Fact]
    public async Task EmptyChartsShowWholeNumberTicks()
    {
        await using var app = new HelloServiceApp().Started();
        await using var watched = await chromium.NewPageAsync();
        var page = watched.Page;

        // Records the text every canvas draws, by canvas id: the axis labels are drawn with fillText.
        await page.AddInitScriptAsync("""
            window.__labels = {};
            const fillText = CanvasRenderingContext2D.prototype.fillText;
            CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
              (window.__labels[this.canvas.id] ??= new Set()).add(String(text));
              return fillText.call(this, text, ...rest);
            };
            """);
        await page.GotoAsync($"http://127.0.0.1:{app.AppPort}/");
        await page.WaitForFunctionAsync("() => Object.keys(window.__labels).length >= 3", null, new PageWaitForFunctionOptions { Timeout = 10_000 });

        var labels = await page.EvaluateAsync<Dictionary<string, string[]>>(
            "() => Object.fromEntries(Object.entries(window.__labels).map(([id, set]) => [id, [...set]]))");
        foreach (var (chart, texts) in labels)
        {
            var ticks = texts.Where(t => t.Length > 0 && (char.IsAsciiDigit(t[0]) || t[0] == '.')).ToList();
            Assert.NotEmpty(ticks);
            Assert.All(ticks, t => Assert.True(int.TryParse(t, CultureInfo.InvariantCulture, out _), $"{chart} has the axis tick '{t}'"));
        }
    }

    private static async Task<Observed> ObserveAsync(IPage page)
    {
        var shares = new Dictionary<string, double>();
        foreach (var row in await page.Locator("#pods tr[data-host]").AllAsync())
        {
            shares[(await row.GetAttributeAsync("data-host"))!] = double.Parse((await row.GetAttributeAsync("data-share"))!, CultureInfo.InvariantCulture);
        }

        var achieved = double.Parse((await page.Locator("#achieved").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
        return new Observed(shares, achieved);
    }

    private sealed record Observed(Dictionary<string, double> Shares, double AchievedMillicores)
    {
        public bool IsSteady =>
            Shares.Count == 3 && Shares.Values.All(s => s is > 0.2 and < 0.47) && AchievedMillicores is >= 160 and <= 240;

        public override string ToString() =>
            $"achieved {AchievedMillicores}m, shares {string.Join(", ", Shares.Select(s => $"{s.Key}={s.Value:F2}"))}";
    }
}

/// <summary>
/// The browser tests run alone, after the parallel ones: Chromium and three instances would
/// otherwise take CPU from the timing-bound tests (floods, probes), and be starved by them.
/// </summary>
[CollectionDefinition(nameof(BrowserTests), DisableParallelization = true)]
public sealed class BrowserTests;
