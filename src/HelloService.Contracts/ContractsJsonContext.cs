using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelloService.Contracts;

/// <summary>Source-generated JSON for the shared types (no reflection, AOT-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LoadJobView))]
[JsonSerializable(typeof(PodView))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
