using System.Diagnostics;

using HelloService.Memory;
using HelloService.Workers;

namespace HelloService.LoadJobs;

/// <summary>
/// What the one worker thread of a memory job does: every <see cref="Step"/> it brings the
/// memory it holds to the job's target (along the ramp while one runs), writes every held page
/// again every <see cref="TouchEvery"/> so the memory stays resident, and gives all of it back
/// to the operating system the moment it stops.
/// </summary>
internal sealed class MemoryHolder(int targetMiB, TimeSpan ramp)
{
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    public static readonly TimeSpan TouchEvery = TimeSpan.FromSeconds(5);

    private const int GrowStepMiB = 16;

    private readonly long _started = Stopwatch.GetTimestamp();
    private volatile int _targetMiB = targetMiB;
    private volatile int _heldMiB;
    private volatile bool _refused;

    public BurnStop Stop { get; } = new();

    /// <summary>The target the job holds once any ramp is over.</summary>
    public int TargetMiB
    {
        get => _targetMiB;
        set => _targetMiB = value;
    }

    /// <summary>MiB resident now.</summary>
    public int HeldMiB => _heldMiB;

    /// <summary>True once the system refused a mapping (the job holds what it could).</summary>
    public bool Refused => _refused;

    /// <summary>The target at this moment: along the ramp from 0 while it runs, then <see cref="TargetMiB"/>.</summary>
    public int TargetNow()
    {
        var target = _targetMiB;
        var elapsed = Stopwatch.GetElapsedTime(_started);
        return ramp <= TimeSpan.Zero || elapsed >= ramp ? target : (int)(target * (elapsed / ramp));
    }

    /// <summary>Grows 16 MiB at a time (what it holds is known, and a stop is heard, within each), or shrinks at once.</summary>
    private void Follow(AnonymousMemory memory)
    {
        var target = TargetNow();
        do
        {
            var ok = memory.Resize(Math.Min(target, memory.MiB + GrowStepMiB));
            _heldMiB = memory.MiB;
            if (!ok)
            {
                _refused = true;
                return;
            }
        }
        while (memory.MiB < target && !Stop.IsRequested);
    }

    public void Hold()
    {
        using var memory = new AnonymousMemory();
        var lastTouch = Stopwatch.GetTimestamp();
        try
        {
            while (!Stop.IsRequested)
            {
                Follow(memory);
                if (Stopwatch.GetElapsedTime(lastTouch) >= TouchEvery)
                {
                    memory.Touch();
                    lastTouch = Stopwatch.GetTimestamp();
                }

                Stop.Token.WaitHandle.WaitOne(Step);
            }
        }
        finally
        {
            memory.Dispose();
            _heldMiB = 0;
        }
    }
}
