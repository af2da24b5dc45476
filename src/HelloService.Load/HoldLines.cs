using System.Globalization;

using HelloService.Contracts;

namespace HelloService.Load;

/// <summary>The text lines of <c>load --hold</c> / <c>--hold-memory</c> on a terminal: a job started, the line per second, a job's end.</summary>
internal static class HoldLines
{
    public static string Started(HoldJobSpec spec, LoadPlan plan, LoadJobView job) => spec.Kind == HoldJobSpec.Memory
        ? $"load: {spec.Describe(plan.Duration)}: job {job.Id} on {Printable(job.Host)}, until {job.EndsAt:HH:mm:ss}Z; Ctrl-C deletes it"
        : $"load: {spec.Describe(plan.Duration)}: job {job.Id} on {Printable(job.Host)}, {job.Workers} worker(s), until {job.EndsAt:HH:mm:ss}Z; Ctrl-C deletes it";

    /// <summary>One line for all held jobs, CPU first: <c>5s target 500m achieved ... | memory 256Mi held 128Mi | host</c>.</summary>
    public static string Progress(TimeSpan elapsed, IEnumerable<LoadJobView> jobs)
    {
        var views = jobs.ToList();
        var parts = views.Select(job => job.Kind == HoldJobSpec.Memory
            ? Invariant($"memory {job.Mebibytes,5}Mi held {job.HeldMiB,5}Mi")
            : Invariant($"target {job.Millicores,5}m achieved {job.AchievedMillicores.Last1s,6:0}m (1 s) {job.AchievedMillicores.Last10s,6:0}m (10 s) | workers {job.Workers} | cpu {job.CpuMs / 1000,8:0.0} s"));
        return Invariant($"{elapsed.TotalSeconds,5:0}s {string.Join(" | ", parts)} | {Printable(views[0].Host)}");
    }

    public static string End(string eventType, LoadJobView job)
    {
        var figures = job.Kind == HoldJobSpec.Memory
            ? Invariant($"target {job.Mebibytes}Mi, {job.HeldMiB}Mi held at the end")
            : Invariant($"target {job.Millicores}m, achieved {job.AchievedMillicores.Last10s:0}m over its last 10 s, {job.CpuMs / 1000:0.0} s of CPU");
        return Invariant($"job {job.Id} {(eventType == "deleted" ? "deleted" : Printable(job.State))} after {Ran(job).TotalSeconds:0.0} s on {Printable(job.Host)}: {figures}");
    }

    private static TimeSpan Ran(LoadJobView job) => (job.EndedAt ?? job.EndsAt) - job.StartedAt;

    /// <summary>A job's text field as the server sent it, safe for a terminal; a pod's host name is at most 63 characters.</summary>
    private static string Printable(string? text) => ServerText.Printable(text, 63);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
