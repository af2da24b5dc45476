using HelloService.HelloWorld;
using HelloService.Hosting;

using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace HelloService.OpenApi;

internal static class OpenApiEndpoints
{
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>The OpenAPI document of the HTTP API: every endpoint, its port, and the hand-parsed queries of /hello-world and /load.</summary>
    public static WebApplicationBuilder AddApiDocument(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer(DescribeDocument);
            options.AddOperationTransformer(DescribeOperation);
        });
        return builder;
    }

    /// <summary>Serves the document on the management port, beside the other operational endpoints.</summary>
    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath).OnManagementPort();
        return app;
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var ports = Ports(context.ApplicationServices);
        document.Info.Title = "HelloService";
        document.Info.Description =
            $"Controlled, observable CPU load. Two ports: the app port ({ports.AppPort} here; public) and the management port " +
            $"({ports.ManagementPort} here; probes, info, metrics, this document).";

        // HEAD is answered wherever GET is; listing it again for every path would say nothing new.
        foreach (var item in document.Paths.Values)
        {
            item.Operations?.Remove(HttpMethod.Head);
        }

        // The servers would name whichever port served the document; each operation says its own port instead.
        document.Servers = [];

        // Probes and metrics are endpoints without a route handler, which the generator leaves out.
        var endpoints = context.ApplicationServices.GetRequiredService<EndpointDataSource>().Endpoints;
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            var path = "/" + endpoint.RoutePattern.RawText?.Trim('/');
            if (document.Paths.ContainsKey(path) || endpoint.Metadata.GetMetadata<ListenerMetadata>() is not { } listener)
            {
                continue;
            }

            var operation = new OpenApiOperation
            {
                Summary = endpoint.DisplayName,
                Description = PortNote(listener.Listener, ports),
                Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "OK" } },
            };
            document.Paths[path] = new OpenApiPathItem { Operations = new() { [HttpMethod.Get] = operation } };
        }

        return Task.CompletedTask;
    }

    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ListenerMetadata>().FirstOrDefault() is { } listener)
        {
            operation.Description = PortNote(listener.Listener, Ports(context.ApplicationServices));
        }

        // The query parameters that the handlers parse by hand, so that the generator cannot see them.
        var parameters = (context.Description.HttpMethod, context.Description.RelativePath?.Trim('/')) switch
        {
            ("GET", "hello-world") => HelloWorldParameters,
            ("POST", "load/cpu") => [Millicores, Seconds],
            ("POST", "load/memory") => [Mebibytes, Seconds, RampSeconds],
            ("PATCH", "load/{id}") => [Millicores with { Description = "A CPU job's new target in millicores (required for a CPU job).", Required = false },
                Mebibytes with { Description = "A memory job's new target in MiB (required for a memory job).", Required = false }],
            _ => [],
        };
        foreach (var (name, type, description, required) in parameters)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Description = description,
                Required = required,
                Schema = new OpenApiSchema { Type = type },
            });
        }

        return Task.CompletedTask;
    }

    /// <summary>The ports of this instance: the document describes the service as it runs, not its defaults.</summary>
    private static ServerOptions Ports(IServiceProvider services) => services.GetRequiredService<IOptions<ServerOptions>>().Value;

    private static string PortNote(Listener listener, ServerOptions ports) => listener == Listener.App
        ? $"Served on the app port (Server__AppPort; {ports.AppPort} here)."
        : $"Served on the management port (Server__ManagementPort; {ports.ManagementPort} here).";

    private static readonly (string Name, JsonSchemaType Type, string Description, bool Required)[] HelloWorldParameters =
    [
        ("name", JsonSchemaType.String, $"Name in the greeting, 1 to {HelloWorldOptions.MaxNameLength} visible characters (default HelloWorld__Name).", false),
        ("count", JsonSchemaType.Integer, "Computations of A(n, m), 0 to HelloWorld__MaxCount (default HelloWorld__Count). Not with cpuMs.", false),
        ("cpuMs", JsonSchemaType.Integer, "CPU time to burn in milliseconds, 1 to HelloWorld__MaxCpuMs, instead of count.", false),
        ("parallelism", JsonSchemaType.Integer, "Worker threads, 1 to the smaller of HelloWorld__MaxParallelism and HelloWorld__MaxBusyWorkers.", false),
        ("n", JsonSchemaType.Integer, "First Ackermann argument, 0 to 3.", false),
        ("m", JsonSchemaType.Integer, "Second Ackermann argument, 0 to HelloWorld__MaxM (with cpuMs: the slice; default 6).", false),
        ("memMiB", JsonSchemaType.Integer, "MiB to hold while the request runs, within the container's limit (HelloWorld__MaxMemoryMiB in all).", false),
    ];

    private static readonly (string Name, JsonSchemaType Type, string Description, bool Required) Millicores =
        ("millicores", JsonSchemaType.Integer, "CPU to hold in millicores, 1 to the processor count x 1000 (within HelloWorld__MaxBusyWorkers x 1000).", true);

    private static readonly (string Name, JsonSchemaType Type, string Description, bool Required) Mebibytes =
        ("mebibytes", JsonSchemaType.Integer, "Memory to hold in MiB, 1 to HelloWorld__MaxMemoryMiB, within the container's limit less HelloWorld__MemoryHeadroomPercent.", true);

    private static readonly (string Name, JsonSchemaType Type, string Description, bool Required) RampSeconds =
        ("rampSeconds", JsonSchemaType.Integer, "Grow linearly from 0 to mebibytes over this many seconds (0 to seconds; default 0).", false);

    private static readonly (string Name, JsonSchemaType Type, string Description, bool Required) Seconds =
        ("seconds", JsonSchemaType.Integer, "How long the job runs, 1 to HelloWorld__MaxLoadSeconds.", true);
}
