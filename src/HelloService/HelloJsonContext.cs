using System.Text.Json;
using System.Text.Json.Serialization;

using HelloService.HelloWorld;
using HelloService.Info;

namespace HelloService;

/// <summary>Source-generated JSON for every type the service writes (no reflection, AOT-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HelloWorldResponse))]
[JsonSerializable(typeof(InfoResponse))]
internal sealed partial class HelloJsonContext : JsonSerializerContext;
