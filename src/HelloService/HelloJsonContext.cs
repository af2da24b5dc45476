using System.Text.Json;
using System.Text.Json.Serialization;

using HelloService.HelloWorld;
using HelloService.Info;
using HelloService.LoadJobs;

namespace HelloService;

/// <summary>Source-generated JSON for every type the service writes (no reflection, AOT-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HelloWorldResponse))]
[JsonSerializable(typeof(InfoResponse))]
[JsonSerializable(typeof(LoadJobView))]
[JsonSerializable(typeof(LoadJobList))]
internal sealed partial class HelloJsonContext : JsonSerializerContext;
