using System.Net;
using System.Text.Json;

using CsCheck;

namespace HelloService.Tests.Reliability;

/// <summary>Random query strings against the real server: every answer is a greeting or a 400, never a 5xx.</summary>
public class QueryFuzzTests
{
    private static readonly Gen<char> AlphaNumeric = Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"];

    private static readonly Gen<string> Key = Gen.OneOf(
        Gen.OneOf<string>("name", "count", "parallelism", "n", "m", "COUNT", "Name", "M", "", " count", "count ", "cöunt"),
        Gen.String[AlphaNumeric, 1, 12],
        Gen.String[Gen.Char, 0, 8]);

    private static readonly Gen<string> Value = Gen.OneOf(
        Gen.Int[-3, 25].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.OneOf<string>(
            "", "0", "00", "007", "+1", "-0", " 1", "1 ", "1e3", "0x10", "1.0", "1,0", "٣", "３", "NaN", "null", "true",
            "2147483647", "2147483648", "-2147483649", "99999999999999999999999999", "Stranger", "Zoë 🚀", "a\tb", "\u0000"),
        Gen.String[Gen.Char, 0, 30],
        Gen.String[AlphaNumeric, 90, 110]);

    private static readonly Gen<string> RawFragment = Gen.OneOf<string>("%", "%zz", "%C3%28", "%FF%FE", "&&", "=", "a=b=c", "count", "count=", "=1", "%00", "+");

    /// <summary>A query of up to six parts: encoded key=value pairs (keys may repeat) or raw, malformed fragments.</summary>
    private static readonly Gen<string> Query = Gen.OneOf(
            Gen.Select(Key, Value).Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2)}"),
            Key.Select(Uri.EscapeDataString),
            RawFragment)
        .Array[0, 6]
        .Select(parts => string.Join("&", parts));

    [Fact]
    public async Task RandomQueriesGetAGreetingOrAProblemAndTheServiceStaysHealthy()
    {
        using var app = new HelloServiceApp(new Dictionary<string, string?>
        {
            // Whatever the fuzzer makes valid stays cheap: at most 20 x A(3, 6).
            ["HelloWorld:MaxM"] = "6",
            ["HelloWorld:MaxCount"] = "20",
            ["HelloWorld:MaxBusyWorkers"] = "4",
        }).Started();
        using var client = app.App();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<HttpStatusCode, int>();

        await Query.SampleAsync(
            async query =>
            {
                using var response = await client.GetAsync($"/hello-world?{query}");
                var body = await response.Content.ReadAsStringAsync();
                statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK:
                        Assert.StartsWith("Hello, ", JsonDocument.Parse(body).RootElement.GetProperty("content").GetString(), StringComparison.Ordinal);
                        break;
                    case HttpStatusCode.BadRequest:
                        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                        Assert.True(JsonDocument.Parse(body).RootElement.TryGetProperty("errors", out var errors) || body.Contains("\"title\"", StringComparison.Ordinal), body);
                        break;
                    default:
                        Assert.Fail($"/hello-world?{query} answered {(int)response.StatusCode}: {body}");
                        break;
                }
            },
            iter: 1500,
            threads: 2);

        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.OK) > 0, "the fuzzer never produced a valid query");
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.BadRequest) > 0, "the fuzzer never produced an invalid query");
        using var management = app.Management();
        using var live = await management.GetAsync("/healthz/live", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(0, app.Get<HelloService.Burn.BurnScheduler>().BusyWorkers);
    }
}
