using System.Text.Json.Serialization;

using HelloService.Contracts;

namespace HelloService.Load;

/// <summary>
/// One NDJSON line of <c>load --hold</c> / <c>--hold-memory --json</c>: <c>started</c>, <c>progress</c>,
/// then <c>end</c>, <c>deleted</c> or <c>error</c> (exactly one line is final: the last; an error
/// has a message and, when no job was read, no job).
/// </summary>
/// <param name="Job">The job the line is about.</param>
/// <param name="Jobs">With both a CPU and a memory job held: the latest view of each, CPU first (on every line but an error before both started).</param>
internal sealed record HoldEvent(
    string Event,
    double ElapsedSeconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LoadJobView? Job,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Final,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<LoadJobView>? Jobs = null);
