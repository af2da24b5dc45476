using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace HelloService.Load;

/// <summary>
/// <c>hello-load ...</c>: the command line of the load generator (System.CommandLine),
/// its help with examples, and the exit codes: 0 done, 1 failed (more than 1% of the requests
/// without an answer, or none succeeded), 2 bad usage, 3 a <c>--threshold</c> broken.
/// </summary>
internal static class LoadCommand
{
    public const int Completed = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;
    public const int ThresholdBroken = 3;

    public const string Examples = """
        Examples:
          # 3 cores of demand for 5 minutes, 100 ms of CPU per request (30 requests/s):
          hello-load --url http://127.0.0.1:9000 --demand 3 --duration 5m
          # pods joining as the demand grows from half a core to four cores over 10 minutes:
          hello-load --url http://helloservice:9000 --ramp 500m:4000m --duration 10m
          # levels, a wave, a fixed request rate, and the classic closed loop:
          hello-load --url http://127.0.0.1:9000 --steps 500m:60s,1500m:60s,500m:60s
          hello-load --url http://127.0.0.1:9000 --sine 1500m:1000m:2m --duration 10m
          hello-load --url http://127.0.0.1:9000 --rate 2000 --query count=0 --duration 10s --json
          hello-load --url http://127.0.0.1:9000 --concurrency 4 --query 'count=35&parallelism=1' --duration 1m
          # a CI gate on a scale-out: exit 3 unless every step up scales out within 2 minutes at p99 < 2s:
          hello-load --url http://helloservice:9000 --steps 500m:1m,3000m:5m --threshold 'scaleout<120s' --threshold 'p99<2s'
          # no requests: one pod held at exactly 850m for 10 minutes as a load job, deleted on Ctrl-C:
          hello-load --url http://10.244.1.7:9000 --hold 850m --duration 10m
          # memory too (Kubernetes quantities, whole MiB): 256Mi reached over 30s beside 500m, both deleted on Ctrl-C:
          hello-load --url http://10.244.1.7:9000 --hold 500m --hold-memory 256Mi --ramp-memory 30s --duration 10m

        A CPU quantity without m counts cores, as in Kubernetes (2 is 2000m); more than 64 is
        refused as a likely missing m. A line is printed every second (NDJSON with --json) and a
        summary with a row per pod at the end or on Ctrl-C / SIGTERM (--hold, --hold-memory: the
        jobs' figures, and the jobs deleted on Ctrl-C / SIGTERM). Exit status: 0 done; 1 more than 1% of the
        requests failed without an answer (or never answered), or none succeeded, with the
        first cause named (--hold, --hold-memory: a job could not start, was cancelled elsewhere,
        or its event stream broke); 2 bad usage; 3 a --threshold broken (named on stderr).
        Each second also shows the HPA's view (each pod's CPU utilization of its request, from
        the answers, and the replicas the HPA would want; --hpa-* default to k8s/base/hpa.yaml),
        Jain's fairness index of the pods' shares, and a stopwatch for every rise in demand.
        --api-key may also come from LOAD_API_KEY.
        """;

    /// <summary>Parses and runs <paramref name="args"/> ; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var options = new LoadOptions();
        var root = Build(options);
        var result = root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,

            // Time for the summary and, with --hold, the DELETE of the job after Ctrl-C / SIGTERM.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(10),
        };
        if (result.Action is ParseErrorAction)
        {
            return Usage(configuration.Error, result.Errors.Select(e => e.Message));
        }

        return result.Invoke(configuration);
    }

    /// <summary>Parses <paramref name="args"/> into a plan without running it (for tests and manifests).</summary>
    public static (LoadPlan? Plan, IReadOnlyList<string> Errors) Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null)
    {
        var options = new LoadOptions();
        var root = Build(options);
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            return (null, result.Errors.Select(e => e.Message).ToList());
        }

        return options.ToPlan(result, environment ?? Environment.GetEnvironmentVariable);
    }

    private static RootCommand Build(LoadOptions options)
    {
        var root = new RootCommand("hello-load: puts a CPU demand in millicores on HelloService with an open-loop schedule "
            + "(or a closed loop with --concurrency) and shows which pods answer; or, with --hold and --hold-memory, holds one pod at a CPU and/or memory level with load jobs.");
        options.AddTo(root);
        root.SetAction(async (result, cancellation) =>
        {
            var (plan, errors) = options.ToPlan(result, Environment.GetEnvironmentVariable);
            if (plan is null)
            {
                return Usage(result.InvocationConfiguration.Error, errors);
            }

            return await LoadRunner.RunAsync(plan, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellation);
        });

        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction help } helpOption)
            {
                helpOption.Action = new HelpWithExamples(help);
            }
        }

        return root;
    }

    private static int Usage(TextWriter error, IEnumerable<string> errors)
    {
        foreach (var message in errors)
        {
            error.WriteLine($"hello-load: {message}");
        }

        error.WriteLine("Run 'hello-load --help' for the options and examples.");
        return BadUsage;
    }

    /// <summary>The standard help followed by the examples.</summary>
    private sealed class HelpWithExamples(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var code = standard.Invoke(parseResult);
            parseResult.InvocationConfiguration.Output.WriteLine(Examples);
            return code;
        }
    }
}
