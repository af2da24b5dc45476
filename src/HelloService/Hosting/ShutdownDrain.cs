using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

/// <summary>
/// The shutdown sequence. SIGTERM makes readiness fail at once (through
/// <c>ApplicationStopping</c>, and through this service for hosts that stop it first); then this waits <see cref="ServerOptions.DrainSeconds"/> while Kestrel still serves,
/// stops the burns (their requests get 503), and lets Kestrel finish within the host's
/// shutdown timeout.
/// </summary>
internal sealed partial class ShutdownDrain(ShutdownSignal signal, IOptions<ServerOptions> options, ILogger<ShutdownDrain> logger)
    : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        signal.BeginShutdown();
        var drain = TimeSpan.FromSeconds(options.Value.DrainSeconds);
        if (drain > TimeSpan.Zero && !signal.DrainSkipped.IsCancellationRequested)
        {
            LogDraining(logger, drain.TotalSeconds);
            using var endEarly = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signal.DrainSkipped);
            try
            {
                await Task.Delay(drain, endEarly.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The shutdown timeout ran out first, or a second signal asked to skip the rest.
            }
        }
        else
        {
            LogNotReady(logger);
        }

        LogStoppingBurns(logger);
        signal.StopBurning();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        signal.StopBurning();
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: not ready; draining for {Seconds} s before stopping computations")]
    private static partial void LogDraining(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: not ready; no drain")]
    private static partial void LogNotReady(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping in-flight computations")]
    private static partial void LogStoppingBurns(ILogger logger);
}
