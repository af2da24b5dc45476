namespace HelloService.Load;

/// <summary>
/// One run: the sending side (the open-loop schedule on its own thread, or the closed-loop
/// workers), a line per second, and the summary once the schedule is done and the requests
/// still open have answered or timed out, or at once when the run is interrupted.
/// </summary>
internal sealed class LoadRunner(LoadPlan plan, IRequestSender sender, ILoadClock clock, LoadReporter reporter)
{
    private readonly LoadStats _stats = new();
    private int _closedLoopInFlight;
    private OpenLoopDriver? _driver;

    public LoadStats Stats => _stats;

    public static async Task<int> RunAsync(LoadPlan plan, TextWriter output, TextWriter error, CancellationToken interrupt)
    {
        if (plan.Mode == LoadMode.Hold)
        {
            return await HoldRunner.RunAsync(plan, output, error, interrupt).ConfigureAwait(false);
        }

        using var sender = new HttpRequestSender(plan);
        var runner = new LoadRunner(plan, sender, new StopwatchClock(), LoadReporter.For(plan, output));
        var final = await runner.RunAsync(interrupt).ConfigureAwait(false);
        if (final.ExitCode == LoadCommand.Failed)
        {
            error.WriteLine($"hello-load: {final.Cause}");
        }

        return final.ExitCode;
    }

    private int InFlight => _driver?.InFlight ?? Volatile.Read(ref _closedLoopInFlight);

    public async Task<FinalReport> RunAsync(CancellationToken interrupt)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        reporter.Start(plan);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reporting = ReportEverySecondAsync(finished.Task, interrupt);

        await (plan.Mode == LoadMode.Concurrency ? ClosedLoopAsync(stop.Token) : OpenLoopAsync(stop.Token)).ConfigureAwait(false);
        await DrainAsync(interrupt).ConfigureAwait(false);
        finished.SetResult();
        await stop.CancelAsync().ConfigureAwait(false); // whatever is still open now is abandoned
        var lastSecond = await reporting.ConfigureAwait(false);
        var final = Summarize(interrupt.IsCancellationRequested, lastSecond);
        reporter.Final(final);
        return final;
    }

    private Task OpenLoopAsync(CancellationToken stop)
    {
        var schedule = new OpenLoopSchedule(plan.Profile!, plan.CpuMsPerRequest);
        _driver = new OpenLoopDriver(schedule, clock, _stats, plan.MaxInFlight);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // A thread of its own: a busy thread pool (answers being parsed) must not delay a send.
        var thread = new Thread(() =>
        {
            try
            {
                _driver.Run(due => SendAsync(due, stop), stop);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "load schedule",
        };
        thread.Start();
        return done.Task;
    }

    private async Task SendAsync(TimeSpan due, CancellationToken stop)
    {
        var answer = await sender.SendAsync(stop).ConfigureAwait(false);
        _stats.RecordAnswer(answer, clock.Elapsed - due);
    }

    private async Task ClosedLoopAsync(CancellationToken stop)
    {
        var workers = Enumerable.Range(0, plan.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && clock.Elapsed < plan.Duration)
            {
                var started = clock.Elapsed;
                _stats.RecordSent(lag: null);
                Interlocked.Increment(ref _closedLoopInFlight);
                try
                {
                    var answer = await sender.SendAsync(stop).ConfigureAwait(false);
                    _stats.RecordAnswer(answer, clock.Elapsed - started);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                finally
                {
                    Interlocked.Decrement(ref _closedLoopInFlight);
                }
            }
        }, CancellationToken.None));
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    /// <summary>After the last send: the open requests get up to the request timeout to answer.</summary>
    private async Task DrainAsync(CancellationToken interrupt)
    {
        var deadline = clock.Elapsed + plan.Timeout;
        while (InFlight > 0 && clock.Elapsed < deadline && !interrupt.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(10, interrupt).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Closes a second every second until sending and draining are over; returns where the last one ended.</summary>
    private async Task<TimeSpan> ReportEverySecondAsync(Task finished, CancellationToken interrupt)
    {
        var closedUpTo = TimeSpan.Zero;
        while (true)
        {
            var next = closedUpTo + TimeSpan.FromSeconds(1);
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.WhenAny(Task.Delay(wait, interrupt), finished).ConfigureAwait(false);
            }

            if (finished.IsCompleted || interrupt.IsCancellationRequested)
            {
                break;
            }

            reporter.Second(Report(_stats.CloseSecond(), closedUpTo, next));
            closedUpTo = next;
        }

        // The part-second at the end (or up to the interrupt), if anything happened in it.
        var end = clock.Elapsed;
        var last = _stats.CloseSecond();
        if (end > closedUpTo && (last.Tally.Sent + last.Tally.Answered + last.Tally.Dropped) > 0)
        {
            reporter.Second(Report(last, closedUpTo, end));
        }

        return end;
    }

    private SecondReport Report(SecondStats second, TimeSpan from, TimeSpan to)
    {
        var seconds = (to - from).TotalSeconds;

        // The target over the part of the interval inside the profile: a tick a moment after the
        // profile's end must not average in the silence after it.
        double? target = plan.Profile is { } profile
            ? (to > profile.Duration ? profile.Duration : to) is var until && until > from ? profile.AverageMillicores(from, until) : 0
            : null;
        double? targetMillicores = plan.Mode == LoadMode.Demand ? target : null;
        double? targetRate = target / plan.CpuMsPerRequest;
        var tally = second.Tally;
        return new SecondReport(
            Math.Round(to.TotalSeconds, 3),
            Math.Round(seconds, 3),
            Round(targetMillicores),
            Math.Round(tally.CpuMs / seconds, 1),
            Round(targetRate),
            Math.Round(tally.Answered / seconds, 1),
            tally.Answered,
            tally.Sent,
            InFlight,
            StatusCounts.From(tally),
            new Percentiles(second.LatencyP50Ms, second.LatencyP99Ms, second.LatencyMaxMs),
            second.LagP99Ms,
            new Dictionary<string, long>(second.Hosts, StringComparer.Ordinal),
            second.HostsLast10s.Count,
            new Dictionary<string, long>(second.HostsLast10s, StringComparer.Ordinal));
    }

    private FinalReport Summarize(bool interrupted, TimeSpan elapsed) => _stats.Read(stats =>
    {
        var total = stats.Total;
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        var transportPercent = total.Sent == 0 ? 0 : 100.0 * total.TransportErrors / total.Sent;
        var unfinished = total.Sent - total.Answered;

        // A request still open when the run ended (after the drain) failed too; one open when
        // someone pressed Ctrl-C was abandoned by the generator, not failed by the service.
        var failedPercent = total.Sent == 0 ? 0 : 100.0 * (total.TransportErrors + (interrupted ? 0 : unfinished)) / total.Sent;
        var cause = Cause(stats, failedPercent, unfinished, interrupted);
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
            PeakRssMiB: PeakRssMiB());
    });

    /// <summary>
    /// Why the run failed, in one sentence, or null when it did not: more than 1% of the requests
    /// failed (named by the first transport error), or none of them succeeded (named by the first
    /// refusal, which says for instance that /hello-world is served on another port).
    /// </summary>
    private string? Cause(LoadStats stats, double failedPercent, long unfinished, bool interrupted)
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
