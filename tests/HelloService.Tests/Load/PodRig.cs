using System.Diagnostics;
using System.Globalization;
using System.Net;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HelloService.Tests.Load;

/// <summary>
/// Several pods behind one round-robin address, on 127.0.0.1 only: an in-test Kestrel that
/// answers <c>/hello-world?cpuMs=N</c> as the service does (<c>host</c>, <c>ackermann.cpuMs</c>
/// = N, and a <c>pod</c> view unless told to play an older server), each pod joining at its
/// scripted time after the first request. Every pod reports <see cref="TotalPercent"/> divided
/// among the pods that have joined, of a 700m request: one pod alone at 160% wants two.
/// </summary>
internal sealed class PodRig : IAsyncDisposable
{
    public const double TotalPercent = 160;
    public const int RequestMillicores = 700;

    private readonly WebApplication _app;
    private readonly (string Host, TimeSpan JoinsAt)[] _pods;
    private readonly bool _podView;
    private readonly Lock _gate = new();
    private Stopwatch? _sinceFirst;
    private long _served;

    private PodRig(WebApplication app, (string, TimeSpan)[] pods, bool podView)
    {
        _app = app;
        _pods = pods;
        _podView = podView;
    }

    public string Url { get; private set; } = string.Empty;

    /// <param name="pods">Each pod's name and when it starts answering, after the rig's first request.</param>
    public static async Task<PodRig> StartAsync(bool podView, params (string Host, TimeSpan JoinsAt)[] pods)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var rig = new PodRig(app, pods, podView);
        app.MapGet("/hello-world", (HttpContext context) => Results.Content(rig.Answer(context.Request.Query["cpuMs"]), "application/json"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        rig.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return rig;
    }

    private string Answer(string? cpuMsText)
    {
        string host;
        int joined;
        lock (_gate)
        {
            _sinceFirst ??= Stopwatch.StartNew();
            var now = _sinceFirst.Elapsed;
            var present = _pods.Where(p => p.JoinsAt <= now).ToList();
            joined = present.Count;
            host = present[(int)(_served++ % joined)].Host;
        }

        var cpuMs = double.TryParse(cpuMsText, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : 0;
        var percent = TotalPercent / joined;
        var pod = _podView
            ? string.Create(CultureInfo.InvariantCulture,
                $$""","pod":{"cpuMillicores":{{percent * RequestMillicores / 100}},"cpuRequestMillicores":{{RequestMillicores}},"cpuUtilizationPercent":{{percent}},"workingSetMiB":40.1,"memoryRequestMiB":150,"memoryUtilizationPercent":26.7}""")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $$"""{"host":"{{host}}","ackermann":{"cpuMs":{{cpuMs}}}{{pod}}}""");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
