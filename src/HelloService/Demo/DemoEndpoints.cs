using System.Reflection;

using HelloService.Burn;
using HelloService.HelloWorld;
using HelloService.Hosting;
using HelloService.LoadJobs;
using HelloService.Pod;

using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace HelloService.Demo;

/// <summary>
/// The live demo page on the app port: <c>GET /</c> and its script, style and icon (embedded in
/// the binary), and <c>GET /status</c>, the small JSON it polls. Nothing here is secret: the
/// status says what <c>/hello-world</c> answers would reveal anyway.
/// </summary>
internal static class DemoEndpoints
{
    // Scripts and styles only from this origin, requests only to it: no inline code, no CDN.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly string Version =
        typeof(DemoEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Path, embedded resource and media type of each file of the page.</summary>
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/demo.js", "demo.js", "text/javascript; charset=utf-8"),
        ("/chart.js", "chart.js", "text/javascript; charset=utf-8"),
        ("/hpa.js", "hpa.js", "text/javascript; charset=utf-8"),
        ("/jobs.js", "jobs.js", "text/javascript; charset=utf-8"),
        ("/demo.css", "demo.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "favicon.svg", "image/svg+xml"),
    ];

    public static IEndpointRouteBuilder MapDemo(this IEndpointRouteBuilder app)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            var asset = PageAsset.Load(resource, contentType);
            app.MapMethods(path, HeadRequests.GetAndHead, new RequestDelegate(asset.Write))
                .WithName($"Demo {resource}")
                .WithSummary("The live demo page: apply CPU demand from the browser and watch the instances answer.")
                .OnAppPort();
        }

        app.MapMethods("/status", HeadRequests.GetAndHead, GetStatus)
            .WithName("Status")
            .WithSummary("This instance for the demo page: host, version, processors, busy and maximum workers, and the pod's CPU and memory against its requests.")
            .OnAppPort();
        return app;
    }

    private static IResult GetStatus(
        HttpContext context, IOptions<ServerOptions> server, IOptions<HelloWorldOptions> helloWorld, BurnScheduler scheduler, LoadJobRegistry jobs, PodUsage pod)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Json(
            new StatusResponse(
                server.Value.InstanceName,
                Version,
                Environment.ProcessorCount,
                System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported ? "jit" : "native-aot",
                new StatusWorkers(scheduler.BusyWorkers, scheduler.Budget.Capacity, jobs.JobWorkers),
                !string.IsNullOrEmpty(helloWorld.Value.ApiKey),
                pod.View()),
            DemoJsonContext.Default.StatusResponse);
    }

    /// <summary>One embedded file, read once, served with a validator so reloads cost a 304.</summary>
    private sealed class PageAsset(byte[] content, string contentType)
    {
        private readonly EntityTagHeaderValue _etag = new($"\"{Fnv1a(content):x16}\"");

        public static PageAsset Load(string resource, string contentType)
        {
            var name = $"HelloService.Demo.{resource}";
            using var stream = typeof(DemoEndpoints).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"The demo page file {name} is not embedded in the binary.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return new PageAsset(copy.ToArray(), contentType);
        }

        /// <summary>
        /// FNV-1a, 64 bits: the same on every pod for the same page, and no cryptography (SHA-256
        /// would load OpenSSL into the process, 3.7 MiB of RSS, to tag three small files).
        /// </summary>
        private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
        {
            var hash = 14695981039346656037UL;
            foreach (var b in bytes)
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            return hash;
        }

        public Task Write(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-cache";
            headers.ETag = _etag.ToString();
            // Weak comparison, as RFC 9110 asks for If-None-Match: a proxy that compresses the page
            // sends the tag back as W/"...", and a list or * counts too.
            if (context.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(_etag, useStrongComparison: false)))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }

            context.Response.ContentType = contentType;
            context.Response.ContentLength = content.Length;
            return context.Response.Body.WriteAsync(content).AsTask();
        }
    }
}
