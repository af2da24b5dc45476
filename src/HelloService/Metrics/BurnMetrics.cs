using HelloService.Ackermann;

namespace HelloService.Metrics;

/// <summary>Exports what the engine reports as the <c>helloservice_*</c> Prometheus series.</summary>
internal sealed class BurnMetrics : IBurnObserver
{
    public void JobAdmitted(TimeSpan? cpuTarget)
    {
        if (cpuTarget is { } target)
        {
            HelloMetrics.CpuTargetSeconds.Inc(target.TotalSeconds);
        }
    }

    public void WorkerStarted() => HelloMetrics.WorkersBusy.Inc();

    public void WorkerStopped() => HelloMetrics.WorkersBusy.Dec();

    public void ComputationStarted() => HelloMetrics.ComputationsStarted.Inc();

    public void ComputationCompleted(long calls, TimeSpan duration)
    {
        HelloMetrics.ComputationsCompleted.Inc();
        HelloMetrics.Calls.Inc(calls);
        HelloMetrics.ComputationDuration.Observe(duration.TotalSeconds);
    }

    public void ComputationCancelled() => HelloMetrics.ComputationsCancelled.Inc();

    public void CpuUsed(TimeSpan cpuTime) => HelloMetrics.CpuSeconds.Inc(cpuTime.TotalSeconds);
}
