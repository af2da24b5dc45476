namespace HelloService.Load;

/// <summary>
/// One run: the sending side (the open-loop schedule on its own thread, or the closed-loop
/// workers), a line per second, and the summary once the schedule is done and the requests
/// still open have answered or timed out, or at once when the run is interrupted.
/// </summary>
internal sealed class LoadRunner(LoadPlan plan, IRequestSender sender, ILoadClock clock, LoadReporter reporter)
{
    private readonly LoadStats _stats = new();
    private readonly AutoscalerWatch _watch = new(plan);
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

        foreach (var broken in final.Thresholds.Where(t => !t.Met))
        {
            error.WriteLine($"hello-load: threshold '{broken.Threshold}' broken: {broken.Measured}");
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
        var final = Judge(RunSummary.Summarize(plan, _stats, interrupt.IsCancellationRequested, lastSecond) with { ScaleOuts = _watch.Rises });
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

            Publish(_stats.CloseSecond(), closedUpTo, next);
            closedUpTo = next;
        }

        // The part-second at the end (or up to the interrupt), if anything happened in it.
        var end = clock.Elapsed;
        var last = _stats.CloseSecond();
        if (end > closedUpTo && (last.Tally.Sent + last.Tally.Answered + last.Tally.Dropped) > 0)
        {
            Publish(last, closedUpTo, end);
        }

        return end;
    }

    private void Publish(SecondStats stats, TimeSpan from, TimeSpan to)
    {
        var (second, events) = _watch.Observe(Report(stats, from, to), stats);
        reporter.Second(second);
        foreach (var item in events)
        {
            reporter.Event(item);
        }
    }

    /// <summary>The thresholds' verdicts: a run that completed but broke one exits 3 (a failed run keeps its 1).</summary>
    private FinalReport Judge(FinalReport final)
    {
        var results = plan.Thresholds.Select(t => t.Violation(final, final.ScaleOuts) is { } measured
            ? new ThresholdResult(t.Text, false, measured)
            : new ThresholdResult(t.Text, true, null)).ToList();
        var broken = final.ExitCode == LoadCommand.Completed && results.Any(r => !r.Met);
        return final with { Thresholds = results, ExitCode = broken ? LoadCommand.ThresholdBroken : final.ExitCode };
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

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;
}
