using System.Diagnostics;
using System.Text.Json;

using HelloService.Contracts;

namespace HelloService.Load;

/// <summary>
/// <c>load --hold M</c> and/or <c>--hold-memory Q</c>: starts a load job of each kind asked for on
/// one instance (<c>POST /load/cpu</c>, then <c>POST /load/memory</c>), prints their figures in one
/// line a second, and deletes them when interrupted (Ctrl-C, SIGTERM) or when a stream fails, so a
/// job never outlives the command that started it by more than the service's own time limit.
/// When the second job cannot start, the first is deleted. Exit status: 0 when the jobs ran their
/// time or were deleted on an interrupt; 1 when one could not start, was cancelled by someone
/// else, or its stream broke.
/// </summary>
internal sealed class HoldRunner(LoadPlan plan, HttpClient client, TextWriter output, TextWriter error)
{
    private readonly Stopwatch _sinceStart = new();
    private readonly List<HeldJob> _jobs = [];

    /// <summary>Guards the output and <see cref="_watched"/> while the jobs' streams are read at once.</summary>
    private readonly Lock _gate = new();

    /// <summary>The jobs whose streams are still read; the first of them paces the line per second.</summary>
    private readonly List<HeldJob> _watched = [];

    public static async Task<int> RunAsync(LoadPlan plan, TextWriter output, TextWriter error, CancellationToken interrupt)
    {
        // No redirects, proxies or cookies: nothing but the given instance is contacted.
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = 64 * 1024,
        };
        return await new HoldRunner(plan, client, output, error).RunAsync(interrupt).ConfigureAwait(false);
    }

    public async Task<int> RunAsync(CancellationToken interrupt)
    {
        foreach (var spec in plan.HoldJobs)
        {
            if (_jobs.Count > 0 && interrupt.IsCancellationRequested)
            {
                break; // interrupted between two starts: the second is not sent, the first is deleted below
            }

            var held = new HeldJob(spec, plan, client, error);
            if (await HoldStart.StartAsync(held, interrupt).ConfigureAwait(false) is HoldStartOutcome.Failed failed)
            {
                return await FailStartAsync(failed.Message).ConfigureAwait(false);
            }

            _jobs.Add(held);
        }

        _sinceStart.Start();
        foreach (var held in _jobs)
        {
            Report("started", held.Latest!, held);
        }

        var outcomes = await WatchAllAsync(interrupt).ConfigureAwait(false);
        return await FinishAsync(outcomes, interrupt).ConfigureAwait(false);
    }

    /// <summary>A start failed: the jobs started before it are deleted, so none runs unwatched.</summary>
    private async Task<int> FailStartAsync(string message)
    {
        foreach (var held in _jobs)
        {
            var job = held.Latest!;
            var deleted = await held.DeleteAsync(held.Url!).ConfigureAwait(false);
            message += deleted is null
                ? $"; deleting {held.Spec.Noun} {job.Id} failed, so it may run until {job.EndsAt:u}"
                : $"; {held.Spec.Noun} {job.Id}, started before, was deleted";
        }

        return Fail(message);
    }

    /// <summary>
    /// Reads every job's event stream at once until each has ended; one that fails, or whose job
    /// was cancelled elsewhere, stops the others, so that all are deleted.
    /// </summary>
    private async Task<(LoadJobView? End, string? Problem)[]> WatchAllAsync(CancellationToken interrupt)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        _watched.AddRange(_jobs);
        return await Task.WhenAll(_jobs.Select(async held =>
        {
            var outcome = await held.WatchAsync((eventType, job) => OnEvent(held, eventType, job), stop.Token).ConfigureAwait(false);
            lock (_gate)
            {
                _watched.Remove(held);
            }

            if (outcome is not { End.State: "completed" })
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }

            return outcome;
        })).ConfigureAwait(false);
    }

    private void OnEvent(HeldJob held, string eventType, LoadJobView job)
    {
        lock (_gate)
        {
            held.Latest = job;
            if (eventType != "progress" || _watched.FirstOrDefault() == held)
            {
                Report(eventType, job, held);
            }
        }
    }

    /// <summary>Each job's last line (exactly one line is final: the last of them, or the error after them) and the exit status.</summary>
    private async Task<int> FinishAsync((LoadJobView? End, string? Problem)[] outcomes, CancellationToken interrupt)
    {
        var problems = new List<string>();
        var lines = new List<(string Event, LoadJobView Job)>();
        for (var i = 0; i < _jobs.Count; i++)
        {
            var (held, (end, problem)) = (_jobs[i], outcomes[i]);
            var (noun, started) = (held.Spec.Noun, held.Latest!);
            if (end is { State: not "running" })
            {
                held.Latest = end;
                lines.Add(("end", end));
                if (end.State != "completed" && !interrupt.IsCancellationRequested)
                {
                    problems.Add($"{noun} {end.Id} was cancelled on the service (a DELETE from elsewhere, or the instance shutting down)");
                }

                continue;
            }

            // Interrupted, or a stream failed while the job may still run: delete it.
            var deleted = await held.DeleteAsync(held.Url!).ConfigureAwait(false);
            if (deleted is not null)
            {
                held.Latest = deleted;
                lines.Add((deleted.State == "completed" ? "end" : "deleted", deleted)); // "end": it ended by itself just then
            }

            if (deleted is { State: "completed" })
            {
                continue;
            }

            if (problem is not null || deleted is null)
            {
                problems.Add((problem, deleted) switch
                {
                    (null, _) => $"deleting {noun} {started.Id} failed, so it may run until {started.EndsAt:u}",
                    (_, null) => $"{problem}; deleting {noun} {started.Id} failed too, so it may run until {started.EndsAt:u}",
                    _ => $"{problem}; {noun} {started.Id} was deleted",
                });
            }
        }

        for (var i = 0; i < lines.Count; i++)
        {
            Report(lines[i].Event, lines[i].Job, final: problems.Count == 0 && i == lines.Count - 1);
        }

        return problems.Count == 0 ? LoadCommand.Completed : Fail(string.Join("; ", problems));
    }

    /// <summary>With both kinds held, every line carries the latest view of each, CPU first.</summary>
    private List<LoadJobView>? AllJobs() => _jobs.Count > 1 ? [.. _jobs.Select(held => held.Latest!)] : null;

    private void Report(string eventType, LoadJobView job, HeldJob? held = null, bool final = false)
    {
        if (plan.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(new HoldEvent(eventType, _sinceStart.Elapsed.TotalSeconds, job, final, Jobs: AllJobs()), LoadJsonContext.Default.HoldEvent));
        }
        else
        {
            output.WriteLine(eventType switch
            {
                "started" => HoldLines.Started(held!.Spec, plan, job),
                "progress" => HoldLines.Progress(_sinceStart.Elapsed, AllJobs() ?? [job]),
                _ => HoldLines.End(eventType, job),
            });
        }

        output.Flush();
    }

    private int Fail(string message)
    {
        // Parts of it came from the server; all of it goes to a terminal.
        message = ServerText.Printable(message, 4 * ServerText.MaxLength);
        error.WriteLine($"hello-load: {message}");
        if (plan.Json)
        {
            // A script reading the stream learns of the failure from the stream too, as its final line.
            output.WriteLine(JsonSerializer.Serialize(new HoldEvent("error", _sinceStart.Elapsed.TotalSeconds, null, true, message), LoadJsonContext.Default.HoldEvent));
            output.Flush();
        }

        return LoadCommand.Failed;
    }
}
