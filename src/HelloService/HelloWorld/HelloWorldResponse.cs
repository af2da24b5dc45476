using System.Globalization;

using HelloService.Api;
using HelloService.Burn;
using HelloService.Contracts;
using HelloService.Hosting;
using HelloService.Memory;
using HelloService.Metrics;
using HelloService.Pod;
using HelloService.Workers;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

using Prometheus;

namespace HelloService.HelloWorld;

/// <summary>The greeting, in the original Spring service's shape plus what the burn did.</summary>
/// <param name="Pod">How busy this pod is as the HPA measures it (<see cref="PodView"/>).</param>
/// <param name="MemMiB">MiB held for the request's duration (<c>memMiB</c>); null when none was asked for.</param>
internal sealed record HelloWorldResponse(long Id, string Content, string Host, AckermannReport Ackermann, PodView Pod,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? MemMiB = null);
