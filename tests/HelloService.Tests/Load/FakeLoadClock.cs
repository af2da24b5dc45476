using HelloService.Load;

namespace HelloService.Tests.Load;

/// <summary>A clock that jumps to each due time at once: a whole schedule runs in microseconds.</summary>
internal sealed class FakeLoadClock : ILoadClock
{
    public TimeSpan Elapsed { get; set; }

    public void WaitUntil(TimeSpan at, CancellationToken stop)
    {
        if (at > Elapsed)
        {
            Elapsed = at;
        }
    }
}
