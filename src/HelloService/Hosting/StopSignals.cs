using System.Runtime.InteropServices;

namespace HelloService.Hosting;

/// <summary>
/// SIGTERM, SIGINT (Ctrl-C) and SIGHUP all begin the graceful shutdown; a second one skips
/// the rest of the drain, so a local Ctrl-C Ctrl-C does not wait <c>Server__DrainSeconds</c>.
/// SIGHUP would otherwise end the process at once and drop in-flight requests (the host
/// handles SIGTERM, SIGINT and SIGQUIT only).
/// </summary>
internal sealed partial class StopSignals(IHostApplicationLifetime lifetime, ShutdownSignal shutdown, ILogger<StopSignals> logger)
    : IHostedService, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _received;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            foreach (var signal in (PosixSignal[])[PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP])
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
        }

        return Task.CompletedTask;
    }

    // The registrations stay until the host is disposed: a second signal must reach OnSignal
    // while the host is stopping.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registrations.ForEach(r => r.Dispose());

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _received) == 1)
        {
            lifetime.StopApplication();
        }
        else
        {
            LogSkippingDrain(logger, context.Signal);
            shutdown.SkipDrain();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Signal} again: skipping the rest of the drain")]
    private static partial void LogSkippingDrain(ILogger logger, PosixSignal signal);
}
