using System.CommandLine;
using System.Globalization;

namespace HelloService.Load;

/// <summary>
/// The options of <c>hello-load</c> and their translation into a <see cref="LoadPlan"/>.
/// Values are read as text and checked here, so every mistake gets one message naming the
/// option and what it expects, and all mistakes of a command line are reported together.
/// </summary>
internal sealed class LoadOptions
{
    public const string ApiKeyVariable = "LOAD_API_KEY";

    private static readonly TimeSpan DefaultDuration = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    private readonly Option<string> _url = new("--url")
    {
        Description = "The service, e.g. http://127.0.0.1:9000 (requests go to /hello-world unless the URL names a path; --hold uses /load next to it). "
            + "Nothing else is contacted.",
        Required = true,
    };

    private readonly Option<string> _demand = new("--demand") { Description = "Constant CPU demand: 600m, 1.5, 2 (Kubernetes quantity).", HelpName = "quantity" };
    private readonly Option<string> _ramp = new("--ramp") { Description = "Demand growing (or falling) linearly over --duration: 500m:3000m.", HelpName = "from:to" };
    private readonly Option<string> _steps = new("--steps") { Description = "Demand levels one after the other: 500m:60s,1000m:60s (sets the duration).", HelpName = "level:duration,..." };
    private readonly Option<string> _sine = new("--sine") { Description = "Demand as a wave: mean:amplitude:period, e.g. 1500m:1000m:2m.", HelpName = "mean:amplitude:period" };
    // Numbers are read as text too: System.CommandLine's own message names a .NET type, not what to write.
    private readonly Option<string> _rate = new("--rate") { Description = "Open loop at a fixed number of requests per second instead of a demand; the query is --query as given.", HelpName = "requests/s" };
    private readonly Option<string> _concurrency = new("--concurrency") { Description = "Closed loop: this many requests in flight, each sent when the last one answered.", HelpName = "count" };
    private readonly Option<string> _duration = new("--duration") { Description = "How long: 30s, 5m, 1h (at most 1h). Default 1m; --steps sets its own.", HelpName = "duration" };

    private readonly Option<string> _requestCpuMs = new("--request-cpu-ms")
    {
        Description = "CPU milliseconds each request asks for (cpuMs=N): the rate is demand / this.",
        DefaultValueFactory = _ => "100",
        HelpName = "ms",
    };

    private readonly Option<string> _query = new("--query") { Description = "Extra query parameters, e.g. 'count=35&parallelism=1' (with a demand: not count or cpuMs)." };

    private readonly Option<string> _maxInFlight = new("--max-in-flight")
    {
        Description = "Requests open at once; a request due beyond this is counted as dropped, never queued.",
        DefaultValueFactory = _ => "256",
        HelpName = "count",
    };

    private readonly Option<string> _timeout = new("--timeout") { Description = "Time limit per request (a transport error when exceeded).", DefaultValueFactory = _ => "60s", HelpName = "duration" };
    private readonly Option<string> _connectionLifetime = new("--connection-lifetime")
    {
        Description = "Reconnect after this long, so a Kubernetes Service spreads load onto new pods.",
        DefaultValueFactory = _ => "10s",
        HelpName = "duration",
    };

    private readonly Option<string> _apiKey = new("--api-key") { Description = $"Sent as X-Api-Key (or set {ApiKeyVariable})." };
    private readonly Option<bool> _json = new("--json") { Description = "One JSON object per line (NDJSON) instead of text; the last has \"final\": true." };

    private readonly AutoscalerOptions _autoscaler = new();
    private readonly HoldOptions _hold = new();

    public void AddTo(Command command)
    {
        Option[] options =
        [
            _url, _demand, _ramp, _steps, _sine, _rate, _concurrency, .. _hold.All, _duration, _requestCpuMs, _query,
            _maxInFlight, _timeout, _connectionLifetime, _apiKey, _json, .. _autoscaler.All,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
    }

    public (LoadPlan? Plan, IReadOnlyList<string> Errors) ToPlan(ParseResult result, Func<string, string?> environment)
    {
        var errors = new List<string>();
        // --hold and --hold-memory go together: one mode, two jobs.
        var modes = new Option[] { _demand, _ramp, _steps, _sine, _rate, _concurrency, _hold.Cpu, _hold.Memory }.Where(o => Given(result, o)).Select(o => o.Name).ToList();
        var holds = modes.Count(m => m.StartsWith("--hold", StringComparison.Ordinal));
        if (modes.Count - Math.Max(0, holds - 1) != 1)
        {
            errors.Add(modes.Count == 0
                ? "say how much load: --demand, --ramp, --steps, --sine, --rate, --concurrency, --hold or --hold-memory"
                : $"choose one of {string.Join(", ", modes)} (only --hold and --hold-memory go together)");
        }

        var mode = Given(result, _rate) ? LoadMode.Rate : Given(result, _concurrency) ? LoadMode.Concurrency : _hold.Given(result) ? LoadMode.Hold : LoadMode.Demand;
        var duration = Duration(result, errors);
        var requestCpuMs = RequestCpuMs(result, mode, errors);
        var (profile, holdJobs) = _hold.Read(result, result.GetValue(_url)!, duration, errors);
        profile = modes.Count == 1 && mode != LoadMode.Hold ? Profile(result, mode, duration, errors) : profile;
        var concurrency = Given(result, _concurrency) ? WholeNumber(_concurrency, result, "4", errors) ?? 1 : 0;
        if (mode == LoadMode.Concurrency && concurrency is < 1 or > 1000)
        {
            errors.Add($"--concurrency must be 1 to 1000, not {concurrency}");
        }

        if (mode == LoadMode.Hold)
        {
            foreach (var option in new Option[] { _query, _maxInFlight, _connectionLifetime }.Where(o => Given(result, o)))
            {
                errors.Add($"{option.Name} does not go with --hold or --hold-memory: a load job sends no requests");
            }
        }

        duration = profile is null ? duration : CheckSize(profile, mode, requestCpuMs, errors);
        if (profile is null && duration > Quantities.MaxDuration)
        {
            errors.Add($"--duration {Quantities.FormatDuration(duration)} is over the 1h limit");
        }

        var (maxInFlight, timeout, lifetime) = Transport(result, errors);
        var target = mode == LoadMode.Hold
            ? holdJobs.FirstOrDefault()?.Start
            : TargetUrls.Target(result.GetValue(_url)!, result.GetValue(_query), mode, requestCpuMs, errors);
        var apiKey = ReadApiKey(result, environment, errors);
        var (hpa, latencyGoal, thresholds) = _autoscaler.Read(result, errors);
        if (errors.Count > 0 || target is null)
        {
            return (null, errors);
        }

        return (new LoadPlan(target, mode, profile, mode == LoadMode.Demand ? requestCpuMs : 1, concurrency, duration,
            maxInFlight, timeout, lifetime, apiKey, result.GetValue(_json))
        {
            Hpa = hpa,
            LatencyGoal = latencyGoal,
            Thresholds = thresholds,
            HoldJobs = holdJobs,
        }, errors);
    }

    private static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    private TimeSpan Duration(ParseResult result, List<string> errors)
    {
        if (Given(result, _steps) && Given(result, _duration))
        {
            errors.Add("--steps sets its own duration; leave out --duration");
        }

        return Given(result, _duration)
            ? Quantities.ParseDuration(result.GetValue(_duration)!, out var error) ?? Note(errors, "--duration", error, DefaultDuration)
            : DefaultDuration;
    }

    private int RequestCpuMs(ParseResult result, LoadMode mode, List<string> errors)
    {
        var requestCpuMs = WholeNumber(_requestCpuMs, result, "100", errors) ?? 100;
        if (requestCpuMs is < 1 or > 60_000)
        {
            errors.Add($"--request-cpu-ms must be 1 to 60000, not {requestCpuMs}");
        }

        if (mode != LoadMode.Demand && Given(result, _requestCpuMs))
        {
            errors.Add("--request-cpu-ms goes with a demand (--demand, --ramp, --steps, --sine)");
        }

        return requestCpuMs;
    }

    private DemandProfile? Profile(ParseResult result, LoadMode mode, TimeSpan duration, List<string> errors) => mode switch
    {
        LoadMode.Rate => ProfileParsing.Rate(result.GetValue(_rate)!, errors) is { } rate ? ProfileParsing.RateProfile(rate, duration, errors) : null,
        LoadMode.Concurrency or LoadMode.Hold => null,
        _ when Given(result, _demand) => ProfileParsing.Demand("--demand", result.GetValue(_demand)!, errors) is { } d
            ? ProfileParsing.Positive("--demand", new ConstantProfile(d, duration), errors)
            : null,
        _ when Given(result, _ramp) => ProfileParsing.Ramp(result.GetValue(_ramp)!, duration, errors),
        _ when Given(result, _steps) => ProfileParsing.Steps(result.GetValue(_steps)!, errors),
        _ => ProfileParsing.Sine(result.GetValue(_sine)!, duration, errors),
    };

    /// <summary>The profile's duration, after checking that the run is neither too long nor too fast nor empty.</summary>
    private static TimeSpan CheckSize(DemandProfile profile, LoadMode mode, int requestCpuMs, List<string> errors)
    {
        if (profile.Duration > Quantities.MaxDuration)
        {
            errors.Add($"the run would last {Quantities.FormatDuration(profile.Duration)}; the limit is 1h");
        }

        var unit = mode == LoadMode.Demand ? Math.Max(1, requestCpuMs) : 1;
        var peakRate = profile.PeakMillicores / unit;
        if (mode == LoadMode.Hold)
        {
            // The service checks the level against its own processor count and budget.
        }
        else if (peakRate > LoadPlan.MaxRequestsPerSecond)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"that is up to {peakRate:0} requests/s; one generator sends at most {LoadPlan.MaxRequestsPerSecond:0}/s (raise --request-cpu-ms or run several)"));
        }
        else if (new OpenLoopSchedule(profile, unit).TotalRequests == 0)
        {
            errors.Add("that schedules no request at all: raise the demand or the duration");
        }

        return profile.Duration;
    }

    private (int MaxInFlight, TimeSpan Timeout, TimeSpan Lifetime) Transport(ParseResult result, List<string> errors)
    {
        var maxInFlight = WholeNumber(_maxInFlight, result, "256", errors) ?? 256;
        if (maxInFlight is < 1 or > 10_000)
        {
            errors.Add($"--max-in-flight must be 1 to 10000, not {maxInFlight}");
        }

        var timeout = Quantities.ParseDuration(result.GetValue(_timeout)!, out var timeoutError) ?? Note(errors, "--timeout", timeoutError, TimeSpan.FromMinutes(1));
        if (timeout > MaxTimeout)
        {
            errors.Add("--timeout is at most 10m");
        }

        var lifetime = Quantities.ParseDuration(result.GetValue(_connectionLifetime)!, out var lifetimeError)
            ?? Note(errors, "--connection-lifetime", lifetimeError, TimeSpan.FromSeconds(10));
        return (maxInFlight, timeout, lifetime);
    }

    private string? ReadApiKey(ParseResult result, Func<string, string?> environment, List<string> errors)
    {
        var apiKey = result.GetValue(_apiKey) ?? environment(ApiKeyVariable);
        if (apiKey is { Length: 0 })
        {
            return null;
        }

        if (apiKey is not null && (apiKey.Length > 1024 || apiKey.Any(char.IsControl)))
        {
            errors.Add("--api-key must be at most 1024 printable characters");
        }

        return apiKey;
    }

    /// <summary>The option's value as a whole number, or null and an error naming the option.</summary>
    private static int? WholeNumber(Option<string> option, ParseResult result, string example, List<string> errors)
    {
        var text = result.GetValue(option) ?? string.Empty;
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{option.Name}: '{text}' is not a whole number, like {example}");
        return null;
    }

    private static T Note<T>(List<string> errors, string option, string? error, T fallback)
    {
        errors.Add($"{option}: {error}");
        return fallback;
    }
}
