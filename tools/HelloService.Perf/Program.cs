using HelloService.Perf;

// report: measure the service on this machine and write docs/performance.md.
// bare-server: the baseline for the overhead measurement, a bare Kestrel endpoint.
return args switch
{
    ["report", .. var rest] => await ReportCommand.RunAsync(rest),
    ["bare-server", var port] => await BareServer.RunAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: HelloService.Perf report --jit PATH/HelloService.dll --aot PATH/HelloService --out FILE [--runs N]
               HelloService.Perf bare-server PORT
        Measures the HelloService on this machine (127.0.0.1 only) and writes a markdown report.
        scripts/perf-report.sh builds what is needed and runs the report.
        """);
    return 2;
}
