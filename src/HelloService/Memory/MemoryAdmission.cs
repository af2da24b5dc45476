using System.Globalization;

namespace HelloService.Memory;

/// <summary>
/// Whether more memory may be held without the container being OOM-killed: the working set
/// after the increase must stay below the limit less a headroom (<see cref="HeadroomPercent"/>
/// of the limit, at least <see cref="MinHeadroomMiB"/>), and what memory loads hold together
/// within <see cref="MaxHeldMiB"/>. Each refusal names the limit, the usage and the headroom in MiB.
/// </summary>
/// <remarks>
/// Outside a container with a limit, <c>Pod__MemoryLimitMiB</c> (when set) stands for the limit
/// and the process's own resident memory for the working set; without either, the machine's.
/// </remarks>
internal sealed class MemoryAdmission(CgroupMemory memory, int headroomPercent, int minHeadroomMiB, int maxHeldMiB, int? podLimitMiB = null)
{
    private readonly Lock _gate = new();
    private int _reservedMiB;

    public int HeadroomPercent => headroomPercent;

    public int MinHeadroomMiB => minHeadroomMiB;

    public int MaxHeldMiB => maxHeldMiB;

    /// <summary>Where the limit comes from and the figures now; null where nothing can be read.</summary>
    public MemorySnapshot? Now()
    {
        var now = memory.Read();
        var cgroupLimited = now is not null && now.Source.StartsWith("cgroup", StringComparison.Ordinal) && !now.Source.Contains("machine", StringComparison.Ordinal);
        return cgroupLimited || podLimitMiB is not { } limit
            ? now
            : new MemorySnapshot(limit * MemorySnapshot.MiB, Environment.WorkingSet, "Pod__MemoryLimitMiB, against the process's resident memory");
    }

    /// <summary>The headroom kept free below <paramref name="limitBytes"/>, in bytes.</summary>
    public long HeadroomBytes(long limitBytes) =>
        Math.Max(limitBytes / 100 * headroomPercent, minHeadroomMiB * MemorySnapshot.MiB);

    /// <summary>MiB reserved now by memory jobs (their targets) and <c>memMiB</c> requests together.</summary>
    public int ReservedMiB => Volatile.Read(ref _reservedMiB);

    /// <summary>
    /// Reserves <paramref name="moreMiB"/> if the limit and the total cap allow it now; otherwise
    /// returns why not (<paramref name="ever"/>: it never could be held here) and reserves nothing.
    /// What is reserved but not yet resident counts as used, so quick reservations cannot overrun the limit together.
    /// </summary>
    public string? TryReserve(int moreMiB, out bool ever)
    {
        lock (_gate)
        {
            var reserved = _reservedMiB;
            var pending = Math.Max(0, reserved - AnonymousMemory.HeldMiB);
            if (Refusal(moreMiB, reserved, out ever, pending) is { } refusal)
            {
                return refusal;
            }

            _reservedMiB = reserved + Math.Max(0, moreMiB);
            return null;
        }
    }

    /// <summary>Gives back <paramref name="mib"/> reserved MiB (a job ended or shrank, a request finished).</summary>
    public void Release(int mib)
    {
        if (mib > 0)
        {
            Interlocked.Add(ref _reservedMiB, -mib);
        }
    }

    /// <summary>
    /// Why <paramref name="moreMiB"/> more cannot be held now (with <paramref name="heldMiB"/> held by
    /// memory loads already), or null when it can. <paramref name="ever"/> is set when it could never
    /// be held (over the total cap, or over the limit less the headroom even with nothing held).
    /// </summary>
    private string? Refusal(int moreMiB, int heldMiB, out bool ever, int pendingMiB = 0)
    {
        ever = false;
        if (moreMiB <= 0)
        {
            return null;
        }

        if (heldMiB + moreMiB > maxHeldMiB)
        {
            ever = moreMiB > maxHeldMiB;
            return $"Memory loads would hold {heldMiB + moreMiB} MiB together, above HelloWorld__MaxMemoryMiB ({maxHeldMiB} MiB); {heldMiB} MiB are held now.";
        }

        if (Now() is not { } now)
        {
            return null; // nothing to measure against (not Linux): the total cap is the bound
        }

        var headroom = HeadroomBytes(now.LimitBytes);
        // Memory admitted but not yet held (a holder grows within a step, or along its ramp) counts as used.
        var after = now.WorkingSetBytes + ((pendingMiB + moreMiB) * MemorySnapshot.MiB);
        if (after <= now.LimitBytes - headroom)
        {
            return null;
        }

        var baseline = now.WorkingSetBytes - (heldMiB * MemorySnapshot.MiB);
        ever = baseline + (moreMiB * MemorySnapshot.MiB) > now.LimitBytes - headroom;
        return string.Create(CultureInfo.InvariantCulture,
            $"{moreMiB} MiB more would bring the working set to {after / (double)MemorySnapshot.MiB:F0} MiB, above the limit of {now.LimitMiB:F0} MiB " +
            $"({now.Source}) less the headroom of {headroom / (double)MemorySnapshot.MiB:F0} MiB (HelloWorld__MemoryHeadroomPercent, at least " +
            $"HelloWorld__MinMemoryHeadroomMiB); the working set is {now.WorkingSetMiB:F0} MiB now.");
    }
}
