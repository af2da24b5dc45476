using System.Text.Json;

namespace HelloService.Load;

/// <summary>NDJSON: a line per second, per event, and the final summary.</summary>
internal sealed class JsonLoadReporter(TextWriter output) : LoadReporter(output)
{
    public override void Start(LoadPlan plan)
    {
        // NDJSON holds only the per-second objects and the final one.
    }

    public override void Second(SecondReport second)
    {
        Output.WriteLine(JsonSerializer.Serialize(second, LoadJsonContext.Default.SecondReport));
        Output.Flush();
    }

    public override void Event(LoadEvent item)
    {
        Output.WriteLine(JsonSerializer.Serialize(item, LoadJsonContext.Default.LoadEvent));
        Output.Flush();
    }

    public override void Final(FinalReport final)
    {
        Output.WriteLine(JsonSerializer.Serialize(final, LoadJsonContext.Default.FinalReport));
        Output.Flush();
    }
}
