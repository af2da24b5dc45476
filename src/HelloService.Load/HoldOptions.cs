using System.CommandLine;
using System.Globalization;

namespace HelloService.Load;

/// <summary>
/// The options that hold one instance with load jobs instead of sending requests: <c>--hold</c>
/// (CPU), <c>--hold-memory</c> and its <c>--ramp-memory</c>; either or both, for <c>--duration</c>.
/// </summary>
internal sealed class HoldOptions
{
    public Option<string> Cpu { get; } = new("--hold")
    {
        Description = "No requests: hold this CPU on one instance as a load job (POST /load/cpu) for --duration (whole seconds), show its figures "
            + "every second, delete it on Ctrl-C or SIGTERM. --url must reach one pod.",
        HelpName = "quantity",
    };

    public Option<string> Memory { get; } = new("--hold-memory")
    {
        Description = "No requests: hold this memory on one instance as a load job (POST /load/memory) for --duration, like --hold "
            + "(and beside it when both are given): 512Mi, 1Gi, 300M (Kubernetes quantity, rounded up to whole MiB).",
        HelpName = "quantity",
    };

    private readonly Option<string> _ramp = new("--ramp-memory")
    {
        Description = "With --hold-memory: grow the memory from 0 to its level over this long (whole seconds, at most --duration).",
        HelpName = "duration",
    };

    public IEnumerable<Option> All => [Cpu, Memory, _ramp];

    /// <summary>Whether the command line holds anything (then it sends no requests).</summary>
    public bool Given(ParseResult result) => IsGiven(result, Cpu) || IsGiven(result, Memory);

    /// <summary>
    /// The CPU job's profile (null without <c>--hold</c>) and the jobs to start, CPU first; no jobs
    /// and the errors when anything is wrong.
    /// </summary>
    public (DemandProfile? Cpu, IReadOnlyList<HoldJobSpec> Jobs) Read(ParseResult result, string url, TimeSpan duration, List<string> errors)
    {
        if (IsGiven(result, _ramp) && !IsGiven(result, Memory))
        {
            errors.Add("--ramp-memory goes with --hold-memory");
        }

        if (!Given(result))
        {
            return (null, []);
        }

        var count = errors.Count;
        var profile = IsGiven(result, Cpu) ? ProfileParsing.Hold(result.GetValue(Cpu)!, duration, errors) : null;
        var memory = IsGiven(result, Memory) ? ReadMemory(result, duration, errors) : null;
        var root = TargetUrls.HoldRoot(url, errors);
        if (errors.Count > count || root is null)
        {
            return (profile, []);
        }

        var seconds = (long)duration.TotalSeconds;
        var jobs = new List<HoldJobSpec>();
        if (profile is not null)
        {
            jobs.Add(new HoldJobSpec(HoldJobSpec.Cpu,
                TargetUrls.HoldStart(root, HoldJobSpec.Cpu, Invariant($"millicores={profile.PeakMillicores:0}&seconds={seconds}")),
                Quantities.FormatMillicores(profile.PeakMillicores), TimeSpan.Zero));
        }

        if (memory is (var mebibytes, var ramp))
        {
            var query = Invariant($"mebibytes={mebibytes}&seconds={seconds}") + (ramp > TimeSpan.Zero ? Invariant($"&rampSeconds={ramp.TotalSeconds:0}") : string.Empty);
            jobs.Add(new HoldJobSpec(HoldJobSpec.Memory, TargetUrls.HoldStart(root, HoldJobSpec.Memory, query), MemoryQuantity.Format(mebibytes), ramp));
        }

        return (profile, jobs);
    }

    private (int MiB, TimeSpan Ramp)? ReadMemory(ParseResult result, TimeSpan duration, List<string> errors)
    {
        var mebibytes = MemoryQuantity.ParseMebibytes("--hold-memory", result.GetValue(Memory)!, out var error);
        if (error is not null)
        {
            errors.Add(error);
        }

        if (duration.Ticks % TimeSpan.TicksPerSecond != 0 && !IsGiven(result, Cpu))
        {
            errors.Add("--duration: a load job runs whole seconds, like 90s or 5m"); // --hold says so already
        }

        var ramp = TimeSpan.Zero;
        if (IsGiven(result, _ramp))
        {
            ramp = Quantities.ParseDuration(result.GetValue(_ramp)!, out var rampError) ?? TimeSpan.Zero;
            if (rampError is not null)
            {
                errors.Add($"--ramp-memory: {rampError}");
            }
            else if (ramp.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                errors.Add("--ramp-memory: a ramp runs whole seconds, like 10s or 1m");
            }
            else if (ramp > duration)
            {
                errors.Add($"--ramp-memory {Quantities.FormatDuration(ramp)} is longer than --duration {Quantities.FormatDuration(duration)}");
            }
        }

        return mebibytes is { } value ? (value, ramp) : null;
    }

    private static bool IsGiven(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
