using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

/// <summary>
/// Tells running burns when to stop at shutdown. It fires after the drain delay, not at
/// SIGTERM: until then the pod, already unready, keeps serving what load balancers still send.
/// </summary>
internal sealed class ShutdownSignal
{
    // Never disposed: it has no timer, and the host may stop again after a failed start.
    private readonly CancellationTokenSource _stopBurning = new();
    private readonly CancellationTokenSource _skipDrain = new();
    private volatile bool _draining;

    /// <summary>True from the first moment of shutdown: readiness fails from then on.</summary>
    public bool IsShuttingDown => _draining;

    /// <summary>Cancelled when in-flight computations must stop and new ones are refused.</summary>
    public CancellationToken BurnsStopping => _stopBurning.Token;

    /// <summary>Cancelled when the drain must end early (a second stop signal).</summary>
    public CancellationToken DrainSkipped => _skipDrain.Token;

    public void BeginShutdown() => _draining = true;

    public void SkipDrain()
    {
        if (!_skipDrain.IsCancellationRequested)
        {
            _skipDrain.Cancel();
        }
    }

    public void StopBurning()
    {
        _draining = true;
        if (!_stopBurning.IsCancellationRequested)
        {
            _stopBurning.Cancel();
        }
    }
}
