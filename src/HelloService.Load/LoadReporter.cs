namespace HelloService.Load;

/// <summary>Writes the run's lines: text for people, or NDJSON for scripts (<c>--json</c>).</summary>
internal abstract class LoadReporter(TextWriter output)
{
    protected TextWriter Output => output;

    public static LoadReporter For(LoadPlan plan, TextWriter output) =>
        plan.Json ? new JsonLoadReporter(output) : new TextLoadReporter(output);

    public abstract void Start(LoadPlan plan);

    public abstract void Second(SecondReport second);

    /// <summary>A stopwatch stage, a new pod, a fairness warning or a note.</summary>
    public abstract void Event(LoadEvent item);

    public abstract void Final(FinalReport final);
}
