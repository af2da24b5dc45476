using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Serialization;

using HelloService.Contracts;
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
// Not written as JSON (the stream writes each item's data), but the OpenAPI document describes the
// event stream's items by this type's schema; without it the Native AOT binary answered 500 there.
[JsonSerializable(typeof(SseItem<LoadJobView>))]
internal sealed partial class HelloJsonContext : JsonSerializerContext;
