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

    public void Sampled(int running, int targetMillicores, double achievedMillicores)
    {
        Running.Set(running);
        TargetMillicores.Set(targetMillicores);
        AchievedMillicores.Set(achievedMillicores);
    }

    public void CpuUsed(TimeSpan cpuTime) => CpuSeconds.Inc(cpuTime.TotalSeconds);
}
