using System.Text.Json;
using System.Text.Json.Serialization;

using HelloService.Contracts;

namespace HelloService.Demo;

/// <summary>What <c>GET /status</c> tells the demo page about this instance.</summary>
internal sealed record StatusResponse(
    string Host, string Version, int ProcessorCount, string Runtime, StatusWorkers Workers, bool ApiKeyRequired, PodView Pod);

/// <param name="Busy">Worker threads burning now, for requests and load jobs alike.</param>
/// <param name="HeldByJobs">Of those, the ones load jobs hold.</param>
internal sealed record StatusWorkers(int Busy, int Max, int HeldByJobs);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StatusResponse))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
