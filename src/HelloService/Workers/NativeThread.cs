using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HelloService.Workers;

/// <summary>
/// The two Linux calls the burn needs that .NET has no API for: lowering the calling thread's
/// scheduling priority (its nice value; no privilege needed) and reading its CPU time.
/// Elsewhere both are no-ops.
/// </summary>
internal static partial class NativeThread
{
    private const int PrioProcess = 0;
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>
    /// Sets the calling thread's nice value. Health probes, metrics scrapes and request parsing
    /// run on pool threads at nice 0 and so win the CPU over the burn, while the process as a
    /// whole still uses every cycle it is allowed (the HPA sees the same load).
    /// </summary>
    public static bool TrySetCurrentThreadNice(int nice)
    {
        if (!OperatingSystem.IsLinux() || nice == 0)
        {
            return nice == 0;
        }

        try
        {
            return SetPriority(PrioProcess, GetTid(), nice) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>CPU time the calling thread has used, or null where it cannot be read.</summary>
    public static TimeSpan? CurrentThreadCpuTime()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0
                ? TimeSpan.FromTicks((ts.Seconds * TimeSpan.TicksPerSecond) + (ts.Nanoseconds / 100))
                : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec ts);
}
