using HelloService;
using HelloService.Demo;
using HelloService.Health;
using HelloService.HelloWorld;
using HelloService.Hosting;
using HelloService.Info;
using HelloService.LoadJobs;
using HelloService.Metrics;
using HelloService.OpenApi;

// --help, --version and anything unknown are answered without binding a port.
if (CommandLine.Answer(args) is { } exitCode)
{
    return exitCode;
}

// Content root = where the binary is, so appsettings.json applies whatever the working directory.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// Ports, limits, shutdown; the /hello-world engine and /load jobs; health; errors as RFC 7807 problem details.
builder.AddHelloHosting();
builder.AddHelloWorld();
builder.AddLoadJobs();
builder.AddHealth();
builder.AddApiDocument();
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.TypeInfoResolverChain.Insert(0, HelloJsonContext.Default);
    options.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
});

// Build and run; a bad setting ends the process with a message and exit code 1.
return builder.BuildAndRun(app =>
{
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseRouting();
    app.UseListenerRouting();
    app.UseHelloMetrics();

    // App port: the greeting, load jobs and the demo page. Management port: probes, info, metrics, the OpenAPI document.
    app.MapHelloWorld();
    app.MapLoadJobs();
    app.MapDemo();
    app.MapHealth();
    app.MapInfo();
    app.MapHelloMetrics();
    app.MapApiDocument();
});
