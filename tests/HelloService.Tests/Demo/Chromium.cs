using Microsoft.Playwright;

namespace HelloService.Tests.Demo;

/// <summary>
/// Debian's Chromium driven by Playwright, one browser for a test class. Playwright's own
/// browser download is not used (it cannot work offline); without /usr/bin/chromium the tests
/// skip with a message, except in CI (CI=true), where they fail.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    /// <summary>A fresh page (its own context) the size of a small projector, watched for errors.</summary>
    public async Task<WatchedPage> NewPageAsync()
    {
        if (_browser is null)
        {
            const string why = $"{ExecutablePath} is missing: install Debian's chromium (apt-get install chromium) to run the demo page tests.";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail(why);
            }

            Assert.Skip(why);
        }

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 760 } });
        return new WatchedPage(context, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>A page whose console errors, script errors, failed requests and requests are recorded.</summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];
    private readonly List<(DateTime At, string Url)> _requests = [];

    public WatchedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) => { if (message.Type == "error") Add($"console error: {message.Text}"); };
        page.PageError += (_, error) => Add($"page error: {error}");
        page.RequestFailed += (_, request) => Add($"request failed: {request.Url} {request.Failure}");
        page.Response += (_, response) => { if (response.Status >= 400) Add($"HTTP {response.Status}: {response.Url}"); };
        page.Request += (_, request) => { lock (_requests) _requests.Add((DateTime.UtcNow, request.Url)); };
    }

    public IPage Page { get; }

    /// <summary>Console errors, script errors, failed requests and 4xx/5xx answers so far.</summary>
    public IReadOnlyList<string> Problems { get { lock (_problems) return [.. _problems]; } }

    public IReadOnlyList<(DateTime At, string Url)> Requests { get { lock (_requests) return [.. _requests]; } }

    public ValueTask DisposeAsync() => _context.DisposeAsync();

    private void Add(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }
}
