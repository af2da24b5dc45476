using System.Globalization;

namespace HelloService.Load;

/// <summary>
/// The demand options' values (<c>--demand</c>, <c>--ramp</c>, <c>--steps</c>, <c>--sine</c>,
/// <c>--rate</c>, <c>--hold</c>) read into profiles, each mistake added to the errors naming the option.
/// </summary>
internal static class ProfileParsing
{
    public static double? Rate(string text, List<string> errors)
    {
        if (double.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate))
        {
            return rate;
        }

        errors.Add($"--rate: '{text}' is not a number of requests per second, like 2000 or 0.5");
        return null;
    }

    public static double? Demand(string option, string text, List<string> errors)
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

    public static DemandProfile? Positive(string option, DemandProfile profile, List<string> errors)
    {
        if (profile.CpuMsBy(profile.Duration) > 0)
        {
            return profile;
        }

        errors.Add($"{option}: the demand is zero");
        return null;
    }

    public static DemandProfile? RateProfile(double rate, TimeSpan duration, List<string> errors)
    {
        if (!double.IsFinite(rate) || rate <= 0 || rate > LoadPlan.MaxRequestsPerSecond)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--rate must be above 0 and at most {LoadPlan.MaxRequestsPerSecond:0} requests/s"));
            return null;
        }

        return new ConstantProfile(rate, duration);
    }

    public static DemandProfile? Ramp(string text, TimeSpan duration, List<string> errors)
    {
        if (Parts("--ramp", text, "from:to, e.g. 500m:3000m", errors) is not [var fromText, var toText])
        {
            return null;
        }

        var from = Demand("--ramp", fromText, errors);
        var to = Demand("--ramp", toText, errors);
        return from is null || to is null ? null : Positive("--ramp", new RampProfile(from.Value, to.Value, duration), errors);
    }

    public static DemandProfile? Steps(string text, List<string> errors)
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

    public static DemandProfile? Sine(string text, TimeSpan duration, List<string> errors)
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

    public static DemandProfile? Hold(string text, TimeSpan duration, List<string> errors)
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
}
