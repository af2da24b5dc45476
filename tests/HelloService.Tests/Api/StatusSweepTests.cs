using System.Net;
using System.Text.Json;

using HelloService.OpenApi;

namespace HelloService.Tests.Api;

/// <summary>
/// Every (method, path) of the OpenAPI document, against the real process (in CI also the Native
/// AOT binary): each status it can reach is reached, each error is RFC 7807 problem details,
/// each success is the documented type, and nothing answers 500.
/// </summary>
[Trait("Category", "Slow")]
public class StatusSweepTests
{
    private const string Key = "sweep-key-0123456789";

    [Fact]
    public async Task EveryDocumentedEndpointReachesEachOfItsStatusesAndNeverA500()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string>
        {
            ["HelloWorld__ApiKey"] = Key,
            ["HelloWorld__MaxLoadJobs"] = "1",
        });
        using var app = service.App();
        using var management = service.Management();
        var document = await (await management.GetAsync(OpenApiEndpoints.DocumentPath, cancellation)).JsonAsync(HttpStatusCode.OK);
        var documented = Operations(document);
        var sweep = new Sweep(app, management, documented);

        // A running job to address, and the second one that MaxLoadJobs=1 refuses.
        using var started = await app.SendAsync(Sweep.Request(HttpMethod.Post, "/load/cpu?millicores=100&seconds=60", Key), cancellation);
        var id = (await started.JsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetInt64();
        var tag = started.Headers.ETag!.Tag;
        await sweep.CheckAsync("POST /load/cpu", "/load/cpu?millicores=100&seconds=60", HttpStatusCode.ServiceUnavailable);

        string[] app200 = ["GET /hello-world", "GET /status", "GET /load", "GET /load/{id}", "PATCH /load/{id}", "GET /", "GET /demo.js", "GET /chart.js", "GET /hpa.js", "GET /jobs.js", "GET /demo.css", "GET /favicon.svg"];
        string[] management200 = ["GET /info", "GET /healthz/live", "GET /healthz/ready", "GET /metrics", "GET " + OpenApiEndpoints.DocumentPath];
        await sweep.CheckAsync("POST /load/memory", "/load/memory?mebibytes=4&seconds=1", HttpStatusCode.ServiceUnavailable); // MaxLoadJobs=1
        await sweep.CheckAsync("POST /load/memory", "/load/memory?mebibytes=0&seconds=1", HttpStatusCode.BadRequest);
        string[] keyed = ["GET /hello-world", "POST /load/cpu", "POST /load/memory", "GET /load", "GET /load/{id}", "PATCH /load/{id}", "DELETE /load/{id}", "GET /load/{id}/events"];
        string[] byId = ["GET /load/{id}", "PATCH /load/{id}", "DELETE /load/{id}", "GET /load/{id}/events"];
        foreach (var operation in app200.Concat(management200))
        {
            await sweep.CheckAsync(operation, Url(operation, id), HttpStatusCode.OK);
        }

        foreach (var operation in documented.Keys)
        {
            await sweep.CheckAsync(operation, Url(operation, id), HttpStatusCode.NotFound, otherPort: true);
        }

        foreach (var operation in keyed)
        {
            await sweep.CheckAsync(operation, Url(operation, id), HttpStatusCode.Unauthorized, key: null);
        }

        await sweep.CheckAsync("GET /hello-world", "/hello-world?count=oops", HttpStatusCode.BadRequest);
        await sweep.CheckAsync("POST /load/cpu", "/load/cpu?millicores=0&seconds=1", HttpStatusCode.BadRequest);
        await sweep.CheckAsync("GET /load", "/load?bogus=1", HttpStatusCode.BadRequest);
        foreach (var operation in byId)
        {
            await sweep.CheckAsync(operation, Url(operation, id).Replace($"/load/{id}", "/load/abc", StringComparison.Ordinal), HttpStatusCode.BadRequest);
            await sweep.CheckAsync(operation, Url(operation, id).Replace($"/load/{id}", "/load/999999", StringComparison.Ordinal), HttpStatusCode.NotFound);
            await sweep.CheckAsync(operation, Url(operation, id), HttpStatusCode.PreconditionFailed, ifMatch: "\"0123456789abcdef-1\"");
        }

        // Another method on each path; probes and metrics answer every method (they are not route handlers).
        foreach (var path in documented.Keys.Select(o => o.Split(' ')[1]).Distinct().Where(p => !p.StartsWith("/healthz/", StringComparison.Ordinal) && p != "/metrics"))
        {
            var operation = documented.Keys.First(o => o.EndsWith(" " + path, StringComparison.Ordinal));
            await sweep.CheckAsync(operation, Url(operation, id), HttpStatusCode.MethodNotAllowed, method: HttpMethod.Put);
        }

        await sweep.CheckAsync("DELETE /load/{id}", Url("DELETE /load/{id}", id), HttpStatusCode.OK, ifMatch: tag);
        await sweep.CheckAsync("PATCH /load/{id}", Url("PATCH /load/{id}", id), HttpStatusCode.Conflict);
        await sweep.CheckAsync("GET /load/{id}/events", Url("GET /load/{id}/events", id), HttpStatusCode.OK); // an ended job's stream: its 'end' event
        await sweep.CheckAsync("POST /load/memory", "/load/memory?mebibytes=4&seconds=1", HttpStatusCode.Accepted);
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellation); // the memory job ends, so MaxLoadJobs=1 admits the next
        await sweep.CheckAsync("POST /load/cpu", "/load/cpu?millicores=100&seconds=1", HttpStatusCode.Accepted);

        Assert.True(sweep.Failures.Count == 0, string.Join('\n', sweep.Failures));
        foreach (var (operation, responses) in documented)
        {
            var reached = sweep.Reached.GetValueOrDefault(operation) ?? [];
            Assert.True(reached.Any(s => s is >= 200 and < 300), $"{operation}: no success reached");
            Assert.Contains(404, reached);
            Assert.All(responses.Keys, status => Assert.True(reached.Contains(status), $"{operation}: documented {status} never reached (reached {string.Join(", ", reached.Order())})"));
        }
    }

    /// <summary>"METHOD /path" of every operation, with its documented statuses and their media types.</summary>
    private static Dictionary<string, Dictionary<int, string[]>> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Name: $"{operation.Name.ToUpperInvariant()} {path.Name}", operation.Value)))
            .ToDictionary(
                o => o.Name,
                o => o.Value.GetProperty("responses").EnumerateObject().ToDictionary(
                    r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture),
                    r => r.Value.TryGetProperty("content", out var content) ? content.EnumerateObject().Select(c => c.Name).ToArray() : []));

    /// <summary>A request that the operation answers with success (given the key and a running job <paramref name="id"/>).</summary>
    private static string Url(string operation, long id) => operation switch
    {
        "GET /hello-world" => "/hello-world?cpuMs=5",
        "POST /load/cpu" => "/load/cpu?millicores=100&seconds=60",
        "POST /load/memory" => "/load/memory?mebibytes=4&seconds=1",
        "PATCH /load/{id}" => $"/load/{id}?millicores=200",
        _ => operation.Split(' ')[1].Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
    };

    private sealed class Sweep(HttpClient app, HttpClient management, Dictionary<string, Dictionary<int, string[]>> documented)
    {
        public List<string> Failures { get; } = [];

        public Dictionary<string, HashSet<int>> Reached { get; } = [];

        public static HttpRequestMessage Request(HttpMethod method, string url, string? key, string? ifMatch = null)
        {
            var request = new HttpRequestMessage(method, url);
            if (key is not null)
            {
                request.Headers.Add("X-Api-Key", key);
            }

            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }

            return request;
        }

        /// <summary>Sends <paramref name="url"/> as <paramref name="operation"/>'s method (or <paramref name="method"/>) and records what it answered.</summary>
        public async Task CheckAsync(
            string operation, string url, HttpStatusCode expected, bool otherPort = false, string? key = Key, string? ifMatch = null, HttpMethod? method = null)
        {
            method ??= new HttpMethod(operation.Split(' ')[0]);
            var client = IsManagement(operation) ^ otherPort ? management : app;
            using var request = Request(method, url, key, ifMatch);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            var status = (int)response.StatusCode;
            var what = $"{method} {url} ({operation}, {(client == app ? "app" : "management")} port)";
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if (response.StatusCode != expected)
            {
                Failures.Add($"{what}: expected {(int)expected}, got {status}: {body}");
                return;
            }

            if (method == new HttpMethod(operation.Split(' ')[0]))
            {
                if (!Reached.TryGetValue(operation, out var reached))
                {
                    Reached[operation] = reached = [];
                }

                reached.Add(status);
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (status >= 400)
            {
                if (mediaType != "application/problem+json" || !IsProblem(body, status))
                {
                    Failures.Add($"{what}: {status} is not problem details ({mediaType}): {body}");
                }

                if (status == 503 && response.Headers.RetryAfter is null)
                {
                    Failures.Add($"{what}: 503 without Retry-After");
                }
            }
            else if (documented[operation].TryGetValue(status, out var types) && types.Length > 0 && !types.Contains(mediaType))
            {
                Failures.Add($"{what}: {status} is {mediaType}, documented {string.Join(" or ", types)}");
            }
            else if (mediaType == "application/json" && !IsJson(body))
            {
                Failures.Add($"{what}: {status} is not JSON: {body}");
            }
        }

        private static bool IsManagement(string operation) =>
            operation.Split(' ')[1] is "/info" or "/healthz/live" or "/healthz/ready" or "/metrics" or OpenApiEndpoints.DocumentPath;

        private static bool IsProblem(string body, int status)
        {
            try
            {
                var problem = JsonDocument.Parse(body).RootElement;
                return problem.GetProperty("status").GetInt32() == status && !string.IsNullOrEmpty(problem.GetProperty("title").GetString());
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return false;
            }
        }

        private static bool IsJson(string body)
        {
            try
            {
                using var parsed = JsonDocument.Parse(body);
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }
}
