using System.Text.Json;

using HelloService.Tests.Kubernetes;

using k8s.Models;

namespace HelloService.Tests.Observability;

public class DashboardTests
{
    private static JsonElement Dashboard => JsonDocument.Parse(File.ReadAllText(PromQl.DashboardPath)).RootElement;

    private static List<JsonElement> Panels => [.. Dashboard.GetProperty("panels").EnumerateArray()];

    [Fact]
    public void DashboardPanelsHaveUniqueIdsAndDoNotOverlapOnTheGrid()
    {
        var panels = Panels;
        var ids = panels.Select(p => p.GetProperty("id").GetInt32()).ToList();
        var boxes = panels.Select(p => p.GetProperty("gridPos")).Select(g => (
            Id: 0, X: g.GetProperty("x").GetInt32(), Y: g.GetProperty("y").GetInt32(), W: g.GetProperty("w").GetInt32(), H: g.GetProperty("h").GetInt32()))
            .Select((b, i) => b with { Id = ids[i] }).ToList();

        Assert.True(panels.Count >= 10, $"only {panels.Count} panels");
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(boxes, b => Assert.True(b is { X: >= 0, Y: >= 0, W: > 0, H: > 0 } && b.X + b.W <= 24, $"panel {b.Id} leaves the 24-column grid"));
        foreach (var a in boxes)
        {
            foreach (var b in boxes.Where(b => b.Id > a.Id))
            {
                var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"panels {a.Id} and {b.Id} overlap");
            }
        }
    }

    [Fact]
    public void EveryPanelAndTargetUsesTheDatasourceVariableAndNoUidIsHardCoded()
    {
        var variable = Dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "datasource");
        Assert.Equal("datasource", variable.GetProperty("type").GetString());
        Assert.Equal("prometheus", variable.GetProperty("query").GetString());

        foreach (var panel in Panels)
        {
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.All(panel.GetProperty("targets").EnumerateArray(), t => Assert.Equal("${datasource}", t.GetProperty("datasource").GetProperty("uid").GetString()));
        }

        // Every "uid" below the top level names the variable: no datasource uid of one Grafana.
        var uids = new List<string?>();
        void Collect(JsonElement element, bool top)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "uid" && !top)
                    {
                        uids.Add(property.Value.GetString());
                    }

                    Collect(property.Value, top: false);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, top: false);
                }
            }
        }

        Collect(Dashboard, top: true);
        Assert.NotEmpty(uids);
        Assert.All(uids, uid => Assert.Equal("${datasource}", uid));
    }

    /// <summary>The panels the scale-out demo needs, each recognised by the series it reads.</summary>
    [Theory]
    [InlineData("kube_horizontalpodautoscaler_status_desired_replicas")] // desired vs current replicas
    [InlineData("kube_horizontalpodautoscaler_spec_max_replicas")] // HPA limits
    [InlineData("kube_node_info")] // nodes
    [InlineData("namespace_pod:helloservice_container_cpu_usage:rate1m")] // per-pod CPU (cAdvisor)
    [InlineData("kube_pod_container_resource_requests")] // ... against its request
    [InlineData("kube_pod_container_resource_limits")] // ... and limit
    [InlineData("namespace_pod:helloservice_container_cpu_throttled:ratio_rate1m")] // throttling
    [InlineData("kube_horizontalpodautoscaler_spec_target_metric")] // the 80% target
    [InlineData("namespace_pod:helloservice_workers_busy:sum")] // busy workers
    [InlineData("namespace_reason:helloservice_requests_rejected:rate1m")] // rejections by reason
    [InlineData("namespace_le:helloservice_http_request_duration_seconds_bucket:rate1m")] // latency percentiles
    [InlineData("helloservice_greetings_total")] // which pod served how much
    [InlineData("namespace:helloservice_cpu_target:rate1m")] // demand asked for ...
    [InlineData("namespace:helloservice_cpu:rate1m")] // ... and achieved
    [InlineData("helloservice_pod_cpu_utilization_ratio")] // each pod's utilization of its request, as it reports it
    [InlineData("helloservice_load_memory_held_bytes")] // memory held by memory load jobs
    public void DashboardHasAPanelReading(string series) =>
        Assert.Contains(PromQl.DashboardExpressions, e => e.Metrics.Contains(series));

    [Fact]
    [Trait("Category", "Slow")]
    public async Task DashboardConfigMapIsTheJsonFileWithTheGrafanaSidecarLabel()
    {
        var rendered = await KustomizeRenderTests.RenderDocumentsAsync("k8s/observability");

        var configMap = rendered.Select(d => d.Typed).OfType<V1ConfigMap>().Single();
        Assert.Equal("helloservice-dashboard", configMap.Metadata.Name);
        Assert.Equal("1", configMap.Metadata.Labels["grafana_dashboard"]);
        Assert.Equal(File.ReadAllText(PromQl.DashboardPath), Assert.Single(configMap.Data).Value);
        // One copy: no other file in k8s/ carries the dashboard.
        var uid = Dashboard.GetProperty("uid").GetString()!;
        Assert.Single(Directory.EnumerateFiles(Manifests.Directory, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains($"\"uid\": \"{uid}\"", StringComparison.Ordinal));
    }
}
