namespace HelloService.Load;

/// <summary>The final report of a run from its totals: outcome, exit code and its cause, a row per pod.</summary>
internal static class RunSummary
{
    public static FinalReport Summarize(LoadPlan plan, LoadStats run, bool interrupted, TimeSpan elapsed) => run.Read(stats =>
    {
        var total = stats.Total;
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        var transportPercent = total.Sent == 0 ? 0 : 100.0 * total.TransportErrors / total.Sent;
        var unfinished = total.Sent - total.Answered;

        // A request still open when the run ended (after the drain) failed too; one open when
        // someone pressed Ctrl-C was abandoned by the generator, not failed by the service.
        var failedPercent = total.Sent == 0 ? 0 : 100.0 * (total.TransportErrors + (interrupted ? 0 : unfinished)) / total.Sent;
        var cause = Cause(plan, stats, failedPercent, unfinished, interrupted);
        var exitCode = cause is null ? LoadCommand.Completed : LoadCommand.Failed;
        var answeredByHosts = Math.Max(1, stats.Hosts.Values.Sum(h => h.Requests));
        var perHost = stats.Hosts.ToDictionary(
            h => h.Key,
            h => new HostSummary(h.Value.Requests, Math.Round((double)h.Value.Requests / answeredByHosts, 4), Math.Round(h.Value.CpuMs, 1),
                Math.Round(h.Value.CpuMs / seconds, 1), Percentiles.Of(h.Value.Latency)),
            StringComparer.Ordinal);
        double? target = plan.Mode == LoadMode.Demand ? Round(plan.Profile!.AverageMillicores(TimeSpan.Zero, plan.Profile.Duration)) : null;
        return new FinalReport(
            Final: true,
            Outcome: interrupted ? "interrupted" : "completed",
            ExitCode: exitCode,
            Plan: plan.Describe(),
            Url: plan.Target.ToString(),
            ElapsedSeconds: Math.Round(elapsed.TotalSeconds, 3),
            TargetMillicores: target,
            AchievedMillicores: Math.Round(total.CpuMs / seconds, 1),
            Sent: total.Sent,
            Requests: total.Answered,
            Unfinished: unfinished,
            Statuses: StatusCounts.From(total),
            TransportErrorPercent: Math.Round(transportPercent, 3),
            FailedPercent: Math.Round(failedPercent, 3),
            Cause: cause,
            LatencyMs: Percentiles.Of(stats.Latency),
            ScheduleLagMs: Percentiles.Of(stats.ScheduleLag),
            Hosts: perHost.ToDictionary(h => h.Key, h => h.Value.Requests, StringComparer.Ordinal),
            PerHost: perHost,
            PeakRssMiB: PeakRssMiB())
        {
            AchievedPercent = plan.Mode == LoadMode.Demand && plan.Profile!.CpuMsBy(plan.Profile.Duration) is > 0 and var asked
                ? Math.Round(100 * total.CpuMs / asked, 1)
                : null,
        };
    });

    /// <summary>
    /// Why the run failed, in one sentence, or null when it did not: more than 1% of the requests
    /// failed (named by the first transport error), or none of them succeeded (named by the first
    /// refusal, which says for instance that /hello-world is served on another port).
    /// </summary>
    private static string? Cause(LoadPlan plan, LoadStats stats, double failedPercent, long unfinished, bool interrupted)
    {
        var total = stats.Total;
        var neverAnswered = unfinished > 0 && !interrupted
            ? $"{unfinished} never answered within --timeout {Quantities.FormatDuration(plan.Timeout)}"
            : null;
        if (failedPercent > 1)
        {
            var what = string.Join(" and ", new[] { total.TransportErrors > 0 ? $"{total.TransportErrors} transport errors" : null, neverAnswered }.OfType<string>());
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{failedPercent:0.##}% of the {total.Sent} requests failed ({what}; the limit is 1%): {stats.FirstTransportError ?? "no answer"}");
        }

        if (total.Sent == 0 || total.Ok > 0)
        {
            return null;
        }

        var statuses = StatusCounts.From(total);
        var counts = string.Join(", ", new[]
        {
            statuses.Unavailable > 0 ? $"503: {statuses.Unavailable}" : null,
            statuses.ClientErrors > 0 ? $"4xx: {statuses.ClientErrors}" : null,
            statuses.ServerErrors > 0 ? $"5xx: {statuses.ServerErrors}" : null,
            statuses.OtherStatuses > 0 ? $"other: {statuses.OtherStatuses}" : null,
            statuses.TransportErrors > 0 ? $"transport errors: {statuses.TransportErrors}" : null,
            unfinished > 0 ? $"unfinished: {unfinished}" : null,
        }.OfType<string>());
        var reason = stats.FirstRefusal ?? stats.FirstTransportError ?? (interrupted ? "no answer before the interrupt" : "no answer");
        return $"none of the {total.Sent} requests succeeded ({counts}): {reason}";
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;

    /// <summary>The process's peak resident memory (VmHWM), where /proc has it.</summary>
    private static double? PeakRssMiB()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return Math.Round(long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0, 1);
                }
            }
        }
        catch (IOException)
        {
            // Not Linux: no figure.
        }

        return null;
    }
}
