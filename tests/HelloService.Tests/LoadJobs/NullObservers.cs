using HelloService.LoadJobs;
using HelloService.Workers;

namespace HelloService.Tests.LoadJobs;

/// <summary>Observers that ignore everything, for engines and registries built by hand in tests.</summary>
internal sealed class NullObservers : ILoadJobObserver, IBurnObserver
{
    public void Sampled(int running, int targetMillicores, double achievedMillicores)
    {
    }

    public void CpuUsed(TimeSpan cpuTime)
    {
    }

    public void JobAdmitted(TimeSpan? cpuTarget)
    {
    }

    public void WorkerStarted()
    {
    }

    public void WorkerStopped()
    {
    }

    public void ComputationStarted()
    {
    }

    public void ComputationCompleted(long calls, TimeSpan duration)
    {
    }

    public void ComputationCancelled()
    {
    }

    public void LoadCpuUsed(TimeSpan cpuTime)
    {
    }

    public void MemorySampled(long targetBytes, long heldBytes)
    {
    }
}
