using HelloService.LoadJobs;

using Prometheus;

namespace HelloService.Metrics;

/// <summary>Exports what the load jobs report as <c>helloservice_load_*</c> Prometheus series.</summary>
internal sealed class LoadJobMetrics : ILoadJobObserver
{
    private static readonly Gauge Running = Prometheus.Metrics.CreateGauge(
        "helloservice_load_jobs_running",
        "Load jobs (/load/cpu) running on this instance.");

    private static readonly Gauge TargetMillicores = Prometheus.Metrics.CreateGauge(
        "helloservice_load_target_millicores",
        "Sum of the target millicores of the running load jobs.");

    private static readonly Gauge AchievedMillicores = Prometheus.Metrics.CreateGauge(
        "helloservice_load_achieved_millicores",
        "Sum of the millicores the running load jobs achieved over the last second (their workers' thread CPU clocks).");

    private static readonly Counter CpuSeconds = Prometheus.Metrics.CreateCounter(
        "helloservice_load_cpu_seconds_total",
        "CPU time used by load job workers (thread CPU clocks): its rate is the load jobs' achieved demand in cores.");

    public LoadJobMetrics() => _ = HelloMetrics.IsConfigured;

    private readonly Lock _gate = new();
    private (int Running, int Target, double Achieved) _last;

    /// <summary>Applies the change since this registry's last sample, so that several hosts in one process (tests) add up.</summary>
    public void Sampled(int running, int targetMillicores, double achievedMillicores)
    {
        lock (_gate)
        {
            Running.Inc(running - _last.Running);
            TargetMillicores.Inc(targetMillicores - _last.Target);
            AchievedMillicores.Inc(achievedMillicores - _last.Achieved);
            _last = (running, targetMillicores, achievedMillicores);
        }
    }

    public void CpuUsed(TimeSpan cpuTime) => CpuSeconds.Inc(cpuTime.TotalSeconds);
}
