using System.Text.Json.Serialization;

using HelloService.Contracts;

namespace HelloService.HelloWorld;

/// <summary>The greeting, in the original Spring service's shape plus what the burn did.</summary>
/// <param name="Pod">How busy this pod is as the HPA measures it (<see cref="PodView"/>).</param>
/// <param name="MemMiB">MiB held for the request's duration (<c>memMiB</c>); null when none was asked for.</param>
internal sealed record HelloWorldResponse(long Id, string Content, string Host, AckermannReport Ackermann, PodView Pod,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MemMiB = null);
