using System.Net;

using HelloService.LoadJobs;
using HelloService.Tests.Ackermann;
using HelloService.Workers;

using Microsoft.Extensions.Logging.Abstractions;

namespace HelloService.Tests.LoadJobs;

/// <summary>
/// A job's lifetime has one owner: whatever order a change, a stop and the deadline come in, no
/// worker keeps burning and no budget stays reserved once the job has ended.
/// </summary>
public class LoadJobLifetimeTests
{
    private const int Cycles = 100;

    [Fact]
    public async Task ARaiseRacingAStopOrTheDeadlineLeavesNoWorkerAndNoBudget()
    {
        var budget = new WorkerBudget(16, 0);
        var engine = new WorkerThreads(budget, new NullObservers(), new WorkerThreads.Settings(0, 1 << 20), NullLogger<WorkerThreads>.Instance);
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            var job = LoadJob.Start(cycle, 1000, 60, budget.TryAcquire(1)!, engine)!;
            var final = cycle % 2 == 0 ? LoadJobState.Cancelled : LoadJobState.Completed; // a DELETE, or the deadline's own stop
            using var go = new ManualResetEventSlim();
            var raise = Task.Run(() =>
            {
                go.Wait();
                return job.Change(16_000);
            });
            var stop = Task.Run(() =>
            {
                go.Wait();
                return job.Stop(final);
            });
            go.Set();
            await Task.WhenAll(raise, stop).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

            Assert.False(job.IsRunning);
            await job.ThreadsEnded.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }

        await BurnSchedulerTests.WaitUntil(() => engine.BusyWorkers == 0 && budget.Reserved == 0);
    }

    [Fact]
    public async Task AChangeAfterTheEndIsRefusedAndStartsNothing()
    {
        var budget = new WorkerBudget(4, 0);
        var engine = new WorkerThreads(budget, new NullObservers(), new WorkerThreads.Settings(0, 1 << 20), NullLogger<WorkerThreads>.Instance);
        var job = LoadJob.Start(1, 500, 60, budget.TryAcquire(1)!, engine)!;
        job.Stop(LoadJobState.Cancelled);

        Assert.IsType<LoadJobChange.NotRunning>(job.Change(4000));
        await job.ThreadsEnded.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(0, budget.Reserved);
        Assert.Equal(0, engine.BusyWorkers);
    }

    /// <summary>The attack that found the orphaned workers, against the real process at an emulated 16 processors.</summary>
    [Trait("Category", "Slow")]
    [Fact]
    public async Task InTheProcessAt16ProcessorsPatchRacingDeleteOrTheEndLeavesNothingBurning()
    {
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "16" });
        using var client = service.App();
        var cancellation = TestContext.Current.CancellationToken;
        for (var cycle = 0; cycle < 20; cycle++)
        {
            var id = (await client.StartJobAsync(1000, cycle % 4 == 3 ? 1 : 60)).GetProperty("id").GetInt64();
            if (cycle % 4 == 3)
            {
                // Raised as the job's own second ends.
                await Task.Delay(990, cancellation);
                using var late = await client.PatchAsync($"/load/{id}?millicores=16000", null, cancellation);
                Assert.True(late.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable, late.StatusCode.ToString());
                continue;
            }

            var patch = client.PatchAsync($"/load/{id}?millicores=16000", null, cancellation);
            var delete = client.DeleteAsync($"/load/{id}", cancellation);
            using var patched = await patch;
            using var deleted = await delete;
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        using var management = service.Management();
        await BurnSchedulerTests.WaitUntil(() =>
        {
            using var info = management.GetAsync("/info", cancellation).GetAwaiter().GetResult();
            var workers = info.JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult().GetProperty("workers");
            return workers.GetProperty("busy").GetInt32() == 0 && workers.GetProperty("reserved").GetInt32() == 0;
        }, seconds: 20);
    }
}
