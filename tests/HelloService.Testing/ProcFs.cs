using System.Globalization;

namespace HelloService.Testing;

/// <summary>What Linux says about a process and the machine, from /proc.</summary>
public static class ProcFs
{
    private static readonly Lazy<double> TicksPerSecond = new(ReadClockTicks);

    /// <summary>User + system CPU time of a process (all its threads) so far.</summary>
    public static TimeSpan ProcessCpu(int pid)
    {
        // Fields after the command name, which is in parentheses and may contain spaces.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond.Value);
    }

    /// <summary>A field of /proc/PID/status as its number: kB for VmRSS and VmHWM, a count for Threads.</summary>
    public static long Status(int pid, string field) =>
        StatusFields(pid).TryGetValue(field, out var value) ? value : throw new InvalidOperationException($"no {field} in /proc/{pid}/status");

    /// <summary>Every numeric field of /proc/PID/status, read at one moment.</summary>
    public static Dictionary<string, long> StatusFields(int pid)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(line[(colon + 1)..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                fields[line[..colon]] = value;
            }
        }

        return fields;
    }

    /// <summary>Busy CPU time of the whole machine (all cores) since boot, from /proc/stat.</summary>
    public static TimeSpan MachineBusy()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // user nice system idle iowait irq softirq steal ...
        long busy = 0;
        for (var i = 1; i < Math.Min(cpu.Length, 9); i++)
        {
            if (i is not 4 and not 5)
            {
                busy += long.Parse(cpu[i], CultureInfo.InvariantCulture);
            }
        }

        return TimeSpan.FromSeconds(busy / TicksPerSecond.Value);
    }

    public static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        ?? "unknown";

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static string KernelRelease() => File.ReadAllText("/proc/sys/kernel/osrelease").Trim();

    public static long MemTotalBytes()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static double ReadClockTicks()
    {
        try
        {
            using var getconf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK")
            {
                RedirectStandardOutput = true,
            })!;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit(5000);
            return double.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FormatException)
        {
            return 100; // USER_HZ on every mainstream Linux build
        }
    }
}
