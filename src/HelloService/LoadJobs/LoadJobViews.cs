
using HelloService.Contracts;

namespace HelloService.LoadJobs;

/// <summary>A job as the API shows it (<see cref="LoadJobView"/>, shared with the load generator).</summary>
internal static class LoadJobViews
{
    public static LoadJobView Of(LoadJob job, LoadJobRegistry registry) => new(
        job.Id,
        job.TargetMillicores,
        job.Seconds,
        job.State switch
        {
            LoadJobState.Running => "running",
            LoadJobState.Completed => "completed",
            _ => "cancelled",
        },
        job.StartedAt,
        job.EndsAt,
        job.EndedAt,
        job.Workers,
        new AchievedMillicores(job.AchievedMillicores(TimeSpan.FromSeconds(1)), job.AchievedMillicores(TimeSpan.FromSeconds(10))),
        Math.Round(job.CpuTime.TotalMilliseconds, 1),
        registry.Instance,
        job.Kind == LoadJobKind.Memory ? "memory" : "cpu",
        job.Kind == LoadJobKind.Memory ? job.TargetMiB : null,
        job.Kind == LoadJobKind.Memory ? job.HeldMiB : null,
        job.Kind == LoadJobKind.Memory && job.RampSeconds > 0 ? job.RampSeconds : null);
}
