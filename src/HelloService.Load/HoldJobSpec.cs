using System.Globalization;

namespace HelloService.Load;

/// <summary>
/// One load job that <c>--hold</c> or <c>--hold-memory</c> asks for: where it is started
/// (<c>POST .../load/cpu?...</c> or <c>.../load/memory?...</c>) and how to name it.
/// </summary>
/// <param name="Kind"><c>cpu</c> or <c>memory</c>, as the service's job view says.</param>
/// <param name="Start">The POST that starts it, query included.</param>
/// <param name="Level">What it holds, as the command line gave it: <c>850m</c>, <c>512Mi</c>.</param>
/// <param name="Ramp">A memory job's ramp from 0 to its level (<c>--ramp-memory</c>), or zero.</param>
internal sealed record HoldJobSpec(string Kind, Uri Start, string Level, TimeSpan Ramp)
{
    public const string Cpu = "cpu";
    public const string Memory = "memory";

    /// <summary>How a message names it: "the job" for CPU (as before memory jobs), "the memory job".</summary>
    public string Noun => Kind == Memory ? "memory job" : "job";

    public string Describe(TimeSpan duration) => Kind == Memory
        ? string.Create(CultureInfo.InvariantCulture,
            $"a memory job holding {Level}{(Ramp > TimeSpan.Zero ? $" (reached over {Quantities.FormatDuration(Ramp)})" : string.Empty)} on one instance for {Quantities.FormatDuration(duration)}")
        : $"a load job holding {Level} on one instance for {Quantities.FormatDuration(duration)}";

    /// <summary>The option of this command that set a query parameter the service names in a refusal, like <c> (--hold)</c>.</summary>
    public string OptionOf(string parameter) => (Kind, parameter) switch
    {
        (Cpu, "millicores") => " (--hold)",
        (Memory, "mebibytes") => " (--hold-memory)",
        (Memory, "rampSeconds") => " (--ramp-memory)",
        (_, "seconds") => " (--duration)",
        _ => string.Empty,
    };
}
