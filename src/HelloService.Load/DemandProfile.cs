namespace HelloService.Load;

/// <summary>
/// How much CPU demand (in millicores) the generator asks for at each moment of a run. The
/// schedule needs the integral, <see cref="CpuMsBy"/>: demand in millicores over seconds is CPU
/// milliseconds, so the number of requests due by time t is CpuMsBy(t) / CPU ms per request.
/// With <c>--rate</c> the same shapes carry requests per second instead, and one "CPU ms" is one request.
/// </summary>
internal abstract record DemandProfile(TimeSpan Duration)
{
    /// <summary>Demand at <paramref name="at"/> (0 after the end).</summary>
    public abstract double MillicoresAt(TimeSpan at);

    /// <summary>CPU milliseconds of demand from the start to <paramref name="at"/> (clamped to the duration).</summary>
    public abstract double CpuMsBy(TimeSpan at);

    /// <summary>The highest demand anywhere in the run (decides the peak request rate).</summary>
    public abstract double PeakMillicores { get; }

    /// <summary>One line for the start of the run: <c>ramp 500m -> 3000m over 5m</c>.</summary>
    public abstract string Describe();

    /// <summary>Average demand between two moments: what the per-second line shows as the target.</summary>
    public double AverageMillicores(TimeSpan from, TimeSpan to) =>
        to > from ? (CpuMsBy(to) - CpuMsBy(from)) / (to - from).TotalSeconds : 0;

    protected double Seconds(TimeSpan at) => Math.Clamp(at.TotalSeconds, 0, Duration.TotalSeconds);
}

internal sealed record ConstantProfile(double Millicores, TimeSpan Duration) : DemandProfile(Duration)
{
    public override double MillicoresAt(TimeSpan at) => at < Duration ? Millicores : 0;

    public override double CpuMsBy(TimeSpan at) => Millicores * Seconds(at);

    public override double PeakMillicores => Millicores;

    public override string Describe() => $"constant {Quantities.FormatMillicores(Millicores)} for {Quantities.FormatDuration(Duration)}";
}

/// <summary>A straight line from <paramref name="From"/> to <paramref name="To"/> over the duration.</summary>
internal sealed record RampProfile(double From, double To, TimeSpan Duration) : DemandProfile(Duration)
{
    public override double MillicoresAt(TimeSpan at) =>
        at < Duration ? From + ((To - From) * Seconds(at) / Duration.TotalSeconds) : 0;

    public override double CpuMsBy(TimeSpan at)
    {
        var t = Seconds(at);
        return (From * t) + ((To - From) * t * t / (2 * Duration.TotalSeconds));
    }

    public override double PeakMillicores => Math.Max(From, To);

    public override string Describe() =>
        $"ramp {Quantities.FormatMillicores(From)} -> {Quantities.FormatMillicores(To)} over {Quantities.FormatDuration(Duration)}";
}

/// <summary>One level of a <see cref="StepsProfile"/>.</summary>
internal sealed record DemandStep(double Millicores, TimeSpan Duration);

/// <summary>Levels held one after the other; the run lasts as long as the steps together.</summary>
internal sealed record StepsProfile(IReadOnlyList<DemandStep> Steps)
    : DemandProfile(Steps.Aggregate(TimeSpan.Zero, (sum, step) => sum + step.Duration))
{
    public override double MillicoresAt(TimeSpan at)
    {
        var start = TimeSpan.Zero;
        foreach (var step in Steps)
        {
            if (at < start + step.Duration)
            {
                return at < start ? 0 : step.Millicores;
            }

            start += step.Duration;
        }

        return 0;
    }

    public override double CpuMsBy(TimeSpan at)
    {
        var t = Seconds(at);
        double cpuMs = 0;
        double start = 0;
        foreach (var step in Steps)
        {
            var length = step.Duration.TotalSeconds;
            cpuMs += step.Millicores * Math.Clamp(t - start, 0, length);
            start += length;
        }

        return cpuMs;
    }

    public override double PeakMillicores => Steps.Max(s => s.Millicores);

    public override string Describe() =>
        "steps " + string.Join(", ", Steps.Select(s => $"{Quantities.FormatMillicores(s.Millicores)} for {Quantities.FormatDuration(s.Duration)}"));
}

/// <summary>A sine wave around <paramref name="Mean"/>: mean + amplitude x sin(2 pi t / period).</summary>
internal sealed record SineProfile(double Mean, double Amplitude, TimeSpan Period, TimeSpan Duration) : DemandProfile(Duration)
{
    public override double MillicoresAt(TimeSpan at) =>
        at < Duration ? Mean + (Amplitude * Math.Sin(2 * Math.PI * Seconds(at) / Period.TotalSeconds)) : 0;

    public override double CpuMsBy(TimeSpan at)
    {
        var t = Seconds(at);
        var period = Period.TotalSeconds;
        return (Mean * t) + (Amplitude * period / (2 * Math.PI) * (1 - Math.Cos(2 * Math.PI * t / period)));
    }

    public override double PeakMillicores => Mean + Amplitude;

    public override string Describe() =>
        $"sine {Quantities.FormatMillicores(Mean)} +- {Quantities.FormatMillicores(Amplitude)} every {Quantities.FormatDuration(Period)} for {Quantities.FormatDuration(Duration)}";
}
