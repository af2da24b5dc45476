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
    private readonly Option<string> _hold = new("--hold")
    {
        Description = "No requests: hold this CPU on one instance as a load job (POST /load/cpu) for --duration (whole seconds), show its figures "
            + "every second, delete it on Ctrl-C or SIGTERM. --url must reach one pod.",
        HelpName = "quantity",
    };

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

    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            _url, _demand, _ramp, _steps, _sine, _rate, _concurrency, _hold, _duration, _requestCpuMs, _query,
            _maxInFlight, _timeout, _connectionLifetime, _apiKey, _json,
        })
        {
            command.Options.Add(option);
        }
    }

    public (LoadPlan? Plan, IReadOnlyList<string> Errors) ToPlan(ParseResult result, Func<string, string?> environment)
    {
        var errors = new List<string>();
        bool Given(Option option) => result.GetResult(option) is { Implicit: false };

        var modes = new Option[] { _demand, _ramp, _steps, _sine, _rate, _concurrency, _hold }.Where(Given).Select(o => o.Name).ToList();
        if (modes.Count != 1)
        {
            errors.Add(modes.Count == 0
                ? "say how much load: --demand, --ramp, --steps, --sine, --rate, --concurrency or --hold"
                : $"choose one of {string.Join(", ", modes)}");
        }

        var mode = Given(_rate) ? LoadMode.Rate : Given(_concurrency) ? LoadMode.Concurrency : Given(_hold) ? LoadMode.Hold : LoadMode.Demand;
        if (Given(_steps) && Given(_duration))
        {
            errors.Add("--steps sets its own duration; leave out --duration");
        }

        var duration = DefaultDuration;
        if (Given(_duration))
        {
            duration = Quantities.ParseDuration(result.GetValue(_duration)!, out var error) ?? Note(errors, "--duration", error, DefaultDuration);
        }

        var requestCpuMs = WholeNumber(_requestCpuMs, result, "100", errors) ?? 100;
        if (requestCpuMs is < 1 or > 60_000)
        {
            errors.Add($"--request-cpu-ms must be 1 to 60000, not {requestCpuMs}");
        }

        if (mode != LoadMode.Demand && Given(_requestCpuMs))
        {
            errors.Add("--request-cpu-ms goes with a demand (--demand, --ramp, --steps, --sine)");
        }

        DemandProfile? profile = null;
        if (modes.Count == 1)
        {
            profile = mode switch
            {
                LoadMode.Rate => Rate(result.GetValue(_rate)!, errors) is { } rate ? RateProfile(rate, duration, errors) : null,
                LoadMode.Concurrency => null,
                LoadMode.Hold => Hold(result.GetValue(_hold)!, duration, errors),
                _ when Given(_demand) => Demand("--demand", result.GetValue(_demand)!, errors) is { } d ? Positive("--demand", new ConstantProfile(d, duration), errors) : null,
                _ when Given(_ramp) => Ramp(result.GetValue(_ramp)!, duration, errors),
                _ when Given(_steps) => Steps(result.GetValue(_steps)!, errors),
                _ => Sine(result.GetValue(_sine)!, duration, errors),
            };
        }

        var concurrency = Given(_concurrency) ? WholeNumber(_concurrency, result, "4", errors) ?? 1 : 0;
        if (mode == LoadMode.Concurrency && concurrency is < 1 or > 1000)
        {
            errors.Add($"--concurrency must be 1 to 1000, not {concurrency}");
        }

        if (mode == LoadMode.Hold)
        {
            foreach (var option in new Option[] { _query, _maxInFlight, _connectionLifetime }.Where(Given))
            {
                errors.Add($"{option.Name} does not go with --hold: a load job sends no requests");
            }
        }

        if (profile is not null)
        {
            duration = profile.Duration;
            if (duration > Quantities.MaxDuration)
            {
                errors.Add($"the run would last {Quantities.FormatDuration(duration)}; the limit is 1h");
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
        }
        else if (duration > Quantities.MaxDuration)
        {
            errors.Add($"--duration {Quantities.FormatDuration(duration)} is over the 1h limit");
        }

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

        var target = mode == LoadMode.Hold
            ? HoldTarget(result.GetValue(_url)!, profile, errors)
            : Target(result.GetValue(_url)!, result.GetValue(_query), mode, requestCpuMs, errors);
        var apiKey = result.GetValue(_apiKey) ?? environment(ApiKeyVariable);
        if (apiKey is { Length: 0 })
        {
            apiKey = null;
        }
        else if (apiKey is not null && (apiKey.Length > 1024 || apiKey.Any(char.IsControl)))
        {
            errors.Add("--api-key must be at most 1024 printable characters");
        }

        if (errors.Count > 0 || target is null)
        {
            return (null, errors);
        }

        return (new LoadPlan(target, mode, profile, mode == LoadMode.Demand ? requestCpuMs : 1, concurrency, duration,
            maxInFlight, timeout, lifetime, apiKey, result.GetValue(_json)), errors);
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

    private static double? Rate(string text, List<string> errors)
    {
        if (double.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate))
        {
            return rate;
        }

        errors.Add($"--rate: '{text}' is not a number of requests per second, like 2000 or 0.5");
        return null;
    }

    private static T Note<T>(List<string> errors, string option, string? error, T fallback)
    {
        errors.Add($"{option}: {error}");
        return fallback;
    }

    private static double? Demand(string option, string text, List<string> errors)
    {
        var millicores = Quantities.ParseMillicores(text, out var error);
        if (millicores is null)
        {
            errors.Add($"{option}: {error}");
        }

        return millicores;
    }

    /// <summary>The colon-separated parts of <paramref name="text"/>, or an error naming the <paramref name="form"/> when their number is not the form's.</summary>
    private static string[] Parts(string option, string text, string form, List<string> errors)
    {
        var parts = text.Split(':');
        if (parts.Length != form.Split(',')[0].Split(':').Length)
        {
            errors.Add($"{option}: '{text}' is not {form}");
            return [];
        }

        return parts;
    }

    private static DemandProfile? Positive(string option, DemandProfile profile, List<string> errors)
    {
        if (profile.CpuMsBy(profile.Duration) > 0)
        {
            return profile;
        }

        errors.Add($"{option}: the demand is zero");
        return null;
    }

    private static DemandProfile? RateProfile(double rate, TimeSpan duration, List<string> errors)
    {
        if (!double.IsFinite(rate) || rate <= 0 || rate > LoadPlan.MaxRequestsPerSecond)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--rate must be above 0 and at most {LoadPlan.MaxRequestsPerSecond:0} requests/s"));
            return null;
        }

        return new ConstantProfile(rate, duration);
    }

    private static DemandProfile? Ramp(string text, TimeSpan duration, List<string> errors)
    {
        if (Parts("--ramp", text, "from:to, e.g. 500m:3000m", errors) is not [var fromText, var toText])
        {
            return null;
        }

        var from = Demand("--ramp", fromText, errors);
        var to = Demand("--ramp", toText, errors);
        return from is null || to is null ? null : Positive("--ramp", new RampProfile(from.Value, to.Value, duration), errors);
    }

    private static DemandProfile? Steps(string text, List<string> errors)
    {
        var steps = new List<DemandStep>();
        var items = text.Split(',', StringSplitOptions.TrimEntries);
        if (items.Length > 100)
        {
            errors.Add("--steps: at most 100 steps");
            return null;
        }

        foreach (var item in items)
        {
            if (Parts("--steps", item, "level:duration, e.g. 500m:60s", errors) is not [var levelText, var lengthText])
            {
                return null;
            }

            var level = Demand("--steps", levelText, errors);
            var length = Quantities.ParseDuration(lengthText, out var error);
            if (length is null)
            {
                errors.Add($"--steps: {error}");
            }

            if (level is null || length is null)
            {
                return null;
            }

            steps.Add(new DemandStep(level.Value, length.Value));
        }

        return Positive("--steps", new StepsProfile(steps), errors);
    }

    private static DemandProfile? Sine(string text, TimeSpan duration, List<string> errors)
    {
        if (Parts("--sine", text, "mean:amplitude:period, e.g. 1500m:1000m:2m", errors) is not [var meanText, var amplitudeText, var periodText])
        {
            return null;
        }

        var mean = Demand("--sine", meanText, errors);
        var amplitude = Demand("--sine", amplitudeText, errors);
        var period = Quantities.ParseDuration(periodText, out var error);
        if (period is null)
        {
            errors.Add($"--sine: {error}");
        }

        if (mean is null || amplitude is null || period is null)
        {
            return null;
        }

        if (amplitude > mean)
        {
            errors.Add("--sine: the amplitude must not exceed the mean (the demand would go below zero)");
            return null;
        }

        return Positive("--sine", new SineProfile(mean.Value, amplitude.Value, period.Value, duration), errors);
    }

    private static DemandProfile? Hold(string text, TimeSpan duration, List<string> errors)
    {
        if (Demand("--hold", text, errors) is not { } millicores)
        {
            return null;
        }

        if (millicores < 1 || millicores != Math.Floor(millicores))
        {
            errors.Add($"--hold: '{text}' is not a whole number of millicores of at least 1m, like 600m or 1.5");
            return null;
        }

        if (duration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add("--duration: a load job runs whole seconds, like 90s or 5m");
            return null;
        }

        return new ConstantProfile(millicores, duration);
    }

    /// <summary>
    /// <c>POST .../load/cpu?millicores=M&amp;seconds=S</c> next to the service's root: the URL's path,
    /// less a trailing <c>hello-world</c>, is kept, so a proxy path such as <c>kubectl proxy</c>'s works.
    /// </summary>
    private static Uri? HoldTarget(string url, DemandProfile? profile, List<string> errors)
    {
        if (ServiceUrl(url, errors) is not { } uri)
        {
            return null;
        }

        if (uri.Query.Length > 0)
        {
            errors.Add($"--url: '{url}' has a query; with --hold it names the instance only, like http://10.1.2.3:9000");
            return null;
        }

        if (profile is null)
        {
            return null;
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        path = path.EndsWith("/hello-world", StringComparison.Ordinal) ? path[..^"/hello-world".Length] : path;
        return new UriBuilder(uri)
        {
            Path = path.TrimEnd('/') + "/load/cpu",
            Query = string.Create(CultureInfo.InvariantCulture, $"millicores={profile.PeakMillicores:0}&seconds={profile.Duration.TotalSeconds:0}"),
        }.Uri;
    }

    private static Uri? ServiceUrl(string url, List<string> errors)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host)
            || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            errors.Add($"--url: '{url}' is not an http:// or https:// URL like http://127.0.0.1:9000");
            return null;
        }

        return uri;
    }

    private static Uri? Target(string url, string? query, LoadMode mode, int requestCpuMs, List<string> errors)
    {
        if (ServiceUrl(url, errors) is not { } uri)
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var source in new[] { uri.Query.TrimStart('?'), (query ?? string.Empty).Trim().TrimStart('?') })
        {
            parts.AddRange(source.Split('&', StringSplitOptions.RemoveEmptyEntries));
        }

        if (query is not null && (query.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || query.Contains('#', StringComparison.Ordinal)))
        {
            errors.Add($"--query: '{query}' is not a query string like 'count=35&parallelism=1'");
            return null;
        }

        if (mode == LoadMode.Demand)
        {
            var clashing = parts.Select(p => p.Split('=')[0]).Where(k => k is "count" or "cpuMs").ToList();
            if (clashing.Count > 0)
            {
                errors.Add($"--query: {string.Join(" and ", clashing)} cannot go with a demand: each request asks for cpuMs=--request-cpu-ms");
                return null;
            }

            parts.Add(string.Create(CultureInfo.InvariantCulture, $"cpuMs={requestCpuMs}"));
        }

        var builder = new UriBuilder(uri)
        {
            Path = uri.AbsolutePath is "" or "/" ? "/hello-world" : uri.AbsolutePath,
            Query = string.Join('&', parts),
        };
        return builder.Uri;
    }
}
