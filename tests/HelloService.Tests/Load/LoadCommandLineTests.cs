using HelloService.Load;

namespace HelloService.Tests.Load;

public class LoadCommandLineTests
{
    private const string Url = "http://127.0.0.1:9000";

    [Theory]
    [InlineData("600m", 600)]
    [InlineData("1500m", 1500)]
    [InlineData("1.5", 1500)]
    [InlineData("2", 2000)]
    [InlineData("0.25", 250)]
    [InlineData(".5", 500)]
    [InlineData("0", 0)]
    public void CpuQuantitiesReadAsKubernetesWritesThem(string text, double millicores)
    {
        Assert.Equal(millicores, Quantities.ParseMillicores(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1.5x")]
    [InlineData("m")]
    [InlineData("1e3")]
    [InlineData("2 cores")]
    [InlineData("1,5")]
    [InlineData("5000")] // 5000 cores: beyond the 1000-core cap
    public void NonQuantitiesAreRefusedWithAnExample(string text)
    {
        Assert.Null(Quantities.ParseMillicores(text, out var error));
        Assert.NotNull(error);
        Assert.True(error.Contains("600m", StringComparison.Ordinal) || error.Contains("cores", StringComparison.Ordinal), error);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("1m30s", 90)]
    [InlineData("500ms", 0.5)]
    [InlineData("1000000ms", 1000)] // 7 digits, yet under an hour
    [InlineData("0000001s", 1)]
    [InlineData("1h2m3s4ms", 3723.004)]
    public void DurationsReadWithTheirUnits(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Quantities.ParseDuration(text, out _));
    }

    [Theory]
    [InlineData("30")]
    [InlineData("0s")]
    [InlineData("5 m")]
    [InlineData("1d")]
    [InlineData("-5s")]
    [InlineData("")]
    [InlineData("s")]
    public void DurationsWithoutAPositiveValueAndUnitAreRefused(string text)
    {
        Assert.Null(Quantities.ParseDuration(text, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("99999999999999999999", "too many digits")]
    [InlineData("0.0000001", "too many digits")]
    [InlineData("1234567890m", "too many digits")]
    public void QuantitiesWithTooManyDigitsAreCalledThat(string text, string expected)
    {
        Assert.Null(Quantities.ParseMillicores(text, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.5s", "has a fraction")]
    [InlineData(".5m", "has a fraction")]
    [InlineData("1h30.5s", "has a fraction")]
    [InlineData("999999999h", "too large")]
    [InlineData("1h9999999999999s", "too large")]
    [InlineData("1h1h", "out of order")]
    [InlineData("30s1m", "out of order")]
    [InlineData("1.5", "not a duration")]
    [InlineData("s", "not a duration")]
    public void DurationsSayWhyTheyAreRefused(string text, string expected)
    {
        Assert.Null(Quantities.ParseDuration(text, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstantDemandAsksForCpuMsAtDemandOverRequestCpu()
    {
        var plan = Plan("--url", Url, "--demand", "3000m", "--duration", "30s");

        Assert.Equal(LoadMode.Demand, plan.Mode);
        Assert.Equal(new Uri("http://127.0.0.1:9000/hello-world?cpuMs=100"), plan.Target);
        var profile = Assert.IsType<ConstantProfile>(plan.Profile);
        Assert.Equal(3000, profile.Millicores);
        Assert.Equal(TimeSpan.FromSeconds(30), plan.Duration);
        Assert.Equal(30, profile.PeakMillicores / plan.CpuMsPerRequest); // requests per second
        Assert.Equal(256, plan.MaxInFlight);
        Assert.Equal(TimeSpan.FromMinutes(1), Plan("--url", Url, "--demand", "1").Duration);
    }

    [Fact]
    public void RampStepsSineRateAndConcurrencyParse()
    {
        var ramp = Assert.IsType<RampProfile>(Plan("--url", Url, "--ramp", "500m:3", "--duration", "5m").Profile);
        var steps = Assert.IsType<StepsProfile>(Plan("--url", Url, "--steps", "500m:60s,1000m:1m,1.5:30s").Profile);
        var sine = Assert.IsType<SineProfile>(Plan("--url", Url, "--sine", "1500m:1000m:2m", "--duration", "10m").Profile);
        var rate = Plan("--url", Url, "--rate", "2000", "--query", "count=0", "--duration", "10s");
        var closed = Plan("--url", Url, "--concurrency", "4", "--query", "count=35&parallelism=1", "--duration", "1m");

        Assert.Equal((500, 3000, TimeSpan.FromMinutes(5)), (ramp.From, ramp.To, ramp.Duration));
        Assert.Equal([new DemandStep(500, TimeSpan.FromMinutes(1)), new DemandStep(1000, TimeSpan.FromMinutes(1)), new DemandStep(1500, TimeSpan.FromSeconds(30))], steps.Steps);
        Assert.Equal(TimeSpan.FromSeconds(150), steps.Duration);
        Assert.Equal((1500, 1000, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)), (sine.Mean, sine.Amplitude, sine.Period, sine.Duration));
        Assert.Equal((LoadMode.Rate, 2000.0, "?count=0"), (rate.Mode, rate.Profile!.PeakMillicores, rate.Target.Query));
        Assert.Equal((LoadMode.Concurrency, 4, "?count=35&parallelism=1"), (closed.Mode, closed.Concurrency, closed.Target.Query));
        Assert.Null(closed.Profile);
    }

    [Fact]
    public void TheUrlKeepsItsPathAndQueryAndTheDemandAddsCpuMs()
    {
        var plan = Plan("--url", "http://127.0.0.1:9000/hello-world?parallelism=1", "--demand", "1", "--query", "?name=x", "--request-cpu-ms", "250");

        Assert.Equal(new Uri("http://127.0.0.1:9000/hello-world?parallelism=1&name=x&cpuMs=250"), plan.Target);
        Assert.Equal(250, plan.CpuMsPerRequest);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000", "http://127.0.0.1:9000/load/cpu?millicores=850&seconds=600")]
    [InlineData("http://127.0.0.1:9000/hello-world", "http://127.0.0.1:9000/load/cpu?millicores=850&seconds=600")]
    [InlineData("http://127.0.0.1:8001/api/v1/namespaces/demo/pods/hello-0:9000/proxy/", "http://127.0.0.1:8001/api/v1/namespaces/demo/pods/hello-0:9000/proxy/load/cpu?millicores=850&seconds=600")]
    public void HoldStartsOneJobNextToTheServicesRootAtTheLevelAndDuration(string url, string target)
    {
        var plan = Plan("--url", url, "--hold", "850m", "--duration", "10m");

        Assert.Equal(LoadMode.Hold, plan.Mode);
        Assert.Equal(new Uri(target), plan.Target);
        Assert.Equal(TimeSpan.FromMinutes(10), plan.Duration);
        Assert.Equal(1500, Plan("--url", url, "--hold", "1.5").Profile!.PeakMillicores);
        Assert.Contains("holding 850m on one instance for 10m", plan.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheApiKeyComesFromTheOptionOrElseFromTheEnvironment()
    {
        static string? Environment(string name) => name == LoadOptions.ApiKeyVariable ? "from-env" : null;

        Assert.Equal("from-env", LoadCommand.Parse(["--url", Url, "--demand", "1"], Environment).Plan!.ApiKey);
        Assert.Equal("given", LoadCommand.Parse(["--url", Url, "--demand", "1", "--api-key", "given"], Environment).Plan!.ApiKey);
        Assert.Null(LoadCommand.Parse(["--url", Url, "--demand", "1"], _ => null).Plan!.ApiKey);
    }

    [Theory]
    [InlineData("Option '--url' is required", "--demand", "1")]
    [InlineData("say how much load", "--url", Url)]
    [InlineData("choose one of --demand, --ramp", "--url", Url, "--demand", "1", "--ramp", "1:2")]
    [InlineData("'3q' is not a CPU quantity", "--url", Url, "--demand", "3q")]
    [InlineData("the demand is zero", "--url", Url, "--demand", "0")]
    [InlineData("the limit is 1h", "--url", Url, "--demand", "1", "--duration", "2h")]
    [InlineData("--duration 2h is over the 1h limit", "--url", Url, "--concurrency", "1", "--duration", "2h")]
    [InlineData("write it with a unit", "--url", Url, "--demand", "1", "--duration", "30")]
    [InlineData("--steps sets its own duration", "--url", Url, "--steps", "1:10s", "--duration", "10s")]
    [InlineData("is not level:duration", "--url", Url, "--steps", "1,2")]
    [InlineData("is not from:to", "--url", Url, "--ramp", "1")]
    [InlineData("amplitude must not exceed the mean", "--url", Url, "--sine", "500m:1000m:1m")]
    [InlineData("count cannot go with a demand", "--url", Url, "--demand", "1", "--query", "count=1")]
    [InlineData("cpuMs cannot go with a demand", "--url", "http://127.0.0.1:9000/?cpuMs=5", "--demand", "1")]
    [InlineData("is not an http:// or https:// URL", "--url", "ftp://127.0.0.1/", "--demand", "1")]
    [InlineData("is not an http:// or https:// URL", "--url", "127.0.0.1:9000", "--demand", "1")]
    [InlineData("--rate must be above 0", "--url", Url, "--rate", "50000")]
    [InlineData("one generator sends at most 10000/s", "--url", Url, "--demand", "20", "--request-cpu-ms", "1")]
    [InlineData("--request-cpu-ms must be 1 to 60000", "--url", Url, "--demand", "1", "--request-cpu-ms", "0")]
    [InlineData("--request-cpu-ms goes with a demand", "--url", Url, "--rate", "10", "--request-cpu-ms", "5")]
    [InlineData("--concurrency must be 1 to 1000", "--url", Url, "--concurrency", "0")]
    [InlineData("--max-in-flight must be 1 to 10000", "--url", Url, "--demand", "1", "--max-in-flight", "0")]
    [InlineData("--timeout is at most 10m", "--url", Url, "--demand", "1", "--timeout", "1h")]
    [InlineData("schedules no request", "--url", Url, "--demand", "1m", "--duration", "1s")]
    [InlineData("is not a query string", "--url", Url, "--concurrency", "1", "--query", "a=1 b=2")]
    [InlineData("Unrecognized command or argument '--bogus'", "--url", Url, "--demand", "1", "--bogus")]
    [InlineData("--concurrency: 'x' is not a whole number", "--url", Url, "--concurrency", "x")]
    [InlineData("--rate: 'abc' is not a number of requests per second", "--url", Url, "--rate", "abc")]
    [InlineData("'850' is 850 cores", "--url", Url, "--hold", "850")]
    [InlineData("did you mean 850m?", "--url", Url, "--hold", "850")]
    [InlineData("did you mean 1500m?", "--url", Url, "--demand", "1500")]
    [InlineData("did you mean 3000m?", "--url", Url, "--ramp", "500m:3000")]
    [InlineData("choose one of --demand, --hold", "--url", Url, "--demand", "1", "--hold", "1")]
    [InlineData("--hold: '1.5m' is not a whole number of millicores", "--url", Url, "--hold", "1.5m")]
    [InlineData("--hold: '0' is not a whole number of millicores", "--url", Url, "--hold", "0")]
    [InlineData("a load job runs whole seconds", "--url", Url, "--hold", "500m", "--duration", "1500ms")]
    [InlineData("--query does not go with --hold", "--url", Url, "--hold", "500m", "--query", "count=1")]
    [InlineData("--max-in-flight does not go with --hold", "--url", Url, "--hold", "500m", "--max-in-flight", "3")]
    [InlineData("--request-cpu-ms goes with a demand", "--url", Url, "--hold", "500m", "--request-cpu-ms", "5")]
    [InlineData("with --hold or --hold-memory it names the instance only", "--url", "http://127.0.0.1:9000/?count=1", "--hold", "500m")]
    [InlineData("the limit is 1h", "--url", Url, "--hold", "500m", "--duration", "2h")]
    public void BadUsageExitsWithTwoAndSaysWhatIsWrong(string message, params string[] options)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = LoadCommand.Run([.. options], output, error);

        Assert.Equal(LoadCommand.BadUsage, exitCode);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("hello-load --help", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, output.ToString());
    }

    [Theory]
    [InlineData("--rate", "abc")]
    [InlineData("--rate", "1e")]
    [InlineData("--concurrency", "x")]
    [InlineData("--concurrency", "2.5")]
    [InlineData("--request-cpu-ms", "ten")]
    [InlineData("--max-in-flight", "")]
    public void ANumberThatDoesNotParseIsNamedByItsOptionNotByADotNetType(string option, string value)
    {
        string[] mode = option is "--rate" or "--concurrency" ? [] : ["--demand", "1"];
        var (plan, errors) = LoadCommand.Parse(["--url", Url, .. mode, option, value], _ => null);

        Assert.Null(plan);
        var error = Assert.Single(errors);
        Assert.StartsWith($"{option}: '{value}' is not ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("64", 64_000)] // a big machine's cores: still cores
    [InlineData("850000m", 850_000)] // 850 cores, written so that nobody can mistake it
    public void ABareNumberIsCoresAsInKubernetes(string text, double millicores)
    {
        Assert.Equal(millicores, Quantities.ParseMillicores(text, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void HelpListsTheOptionsAndShowsExamples()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = LoadCommand.Run(["--help"], output, error);

        Assert.Equal(0, exitCode);
        var help = output.ToString();
        foreach (var option in new[] { "--url", "--demand", "--ramp", "--steps", "--sine", "--duration", "--request-cpu-ms", "--concurrency", "--max-in-flight", "--api-key", "--json" })
        {
            Assert.Contains(option, help, StringComparison.Ordinal);
        }

        Assert.Contains("Examples:", help, StringComparison.Ordinal);
        Assert.Contains("hello-load --url http://127.0.0.1:9000 --demand 3", help, StringComparison.Ordinal);
        Assert.Equal(string.Empty, error.ToString());
    }

    private static LoadPlan Plan(params string[] options)
    {
        var (plan, errors) = LoadCommand.Parse([.. options], _ => null);
        Assert.True(plan is not null, string.Join("; ", errors));
        return plan;
    }
}
