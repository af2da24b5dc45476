using System.Diagnostics;

namespace HelloService.Load;

/// <summary>Time since the run started, and a way to wait for a moment of it (fake in tests).</summary>
internal interface ILoadClock
{
    TimeSpan Elapsed { get; }

    /// <summary>Returns at <paramref name="at"/> or as soon as <paramref name="stop"/> is cancelled.</summary>
    void WaitUntil(TimeSpan at, CancellationToken stop);
}
