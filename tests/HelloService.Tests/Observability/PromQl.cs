using System.Text.Json;
using System.Text.RegularExpressions;

using HelloService.Tests.Kubernetes;

using YamlDotNet.RepresentationModel;

namespace HelloService.Tests.Observability;

/// <summary>One PromQL expression of k8s/, with where it comes from (for failure messages).</summary>
/// <param name="Source">e.g. "dashboard panel 4 'CPU per pod' target B" or "rule HelloServiceScrapeDown".</param>
/// <param name="Expr">The expression as written (Grafana variables and adapter templates unexpanded).</param>
internal sealed record PromExpression(string Source, string Expr)
{
    /// <summary>The expression as Prometheus receives it (<see cref="PromQl.Expand"/>).</summary>
    public string Expanded => PromQl.Expand(Expr);

    public IReadOnlySet<string> Metrics => PromQl.MetricNames(Expanded);

    public override string ToString() => $"{Source}: {Expr}";
}

/// <summary>A rule of the PrometheusRule: a recording rule (Record set) or an alert (Alert set).</summary>
internal sealed record PromRule(string Group, string? Record, string? Alert, string Expr)
{
    public string Name => Record ?? Alert!;
}

/// <summary>
/// Every PromQL expression of the observability files (dashboard targets, recording and alerting
/// rules, the prometheus-adapter query), and the small amount of PromQL reading the tests need.
/// </summary>
internal static partial class PromQl
{
    /// <summary>
    /// What Grafana and prometheus-adapter put in place of their variables before Prometheus sees
    /// an expression, for the tests' Prometheus, which scrapes one process every second:
    /// <c>$__rate_interval</c> is at least four scrape intervals in Grafana (4 s here);
    /// <c>$__range</c> is the dashboard's time range (1m: longer than the test runs, as a fresh
    /// dashboard's 30 minutes is longer than a fresh demo); <c>$namespace</c> and the adapter's label
    /// matchers name the labels the tests' scrape configuration attaches, as a PodMonitor would.
    /// </summary>
    public static readonly IReadOnlyList<(string Variable, string Value)> Substitutions =
    [
        ("${datasource}", "unused"),
        ("$__rate_interval", "4s"),
        ("$__range", "1m"),
        ("$namespace", "helloservice"),
        ("$hpa", ".*"),
        ("<<.Series>>", "helloservice_workers_busy"),
        ("<<.LabelMatchers>>", "namespace=\"helloservice\", pod=~\"helloservice-test-0\""),
        ("<<.GroupBy>>", "pod"),
    ];

    /// <summary>Names Prometheus itself gives every target; present whenever the service is scraped.</summary>
    public static readonly IReadOnlySet<string> ScrapeSeries = new HashSet<string>(StringComparer.Ordinal) { "up" };

    public static string ObservabilityDirectory => Path.Combine(Manifests.Directory, "observability");

    public static string DashboardPath => Path.Combine(ObservabilityDirectory, "helloservice-dashboard.json");

    public static YamlMappingNode PrometheusRule => Manifests.Tool("observability/prometheusrule.yaml", "PrometheusRule").Yaml;

    public static IReadOnlyList<PromRule> Rules =>
        PrometheusRule.Node("spec", "groups").Items().SelectMany(group => group.Node("rules").Items().Select(rule =>
            new PromRule(group.Scalar("name")!, rule.Scalar("record"), rule.Scalar("alert"), rule.Scalar("expr")!))).ToList();

    public static IReadOnlyList<PromExpression> RuleExpressions =>
        Rules.Select(r => new PromExpression($"rule {r.Name}", r.Expr)).ToList();

    public static IReadOnlyList<PromExpression> DashboardExpressions
    {
        get
        {
            using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardPath));
            return dashboard.RootElement.GetProperty("panels").EnumerateArray().SelectMany(panel =>
                panel.GetProperty("targets").EnumerateArray().Select(target => new PromExpression(
                    $"dashboard panel {panel.GetProperty("id").GetInt32()} '{panel.GetProperty("title").GetString()}' target {target.GetProperty("refId").GetString()}",
                    target.GetProperty("expr").GetString()!))).ToList();
        }
    }

    /// <summary>The prometheus-adapter rule's series query and metrics query (k8s/custom-metrics).</summary>
    public static IReadOnlyList<PromExpression> AdapterExpressions
    {
        get
        {
            var configMap = Manifests.Single<k8s.Models.V1ConfigMap>("custom-metrics/prometheus-adapter-config.yaml");
            var config = new YamlStream();
            config.Load(new StringReader(configMap.Data["config.yaml"]));
            var rule = config.Documents[0].RootNode.Node("rules").Items().Single();
            return [new PromExpression("adapter seriesQuery", rule.Scalar("seriesQuery")!), new PromExpression("adapter metricsQuery", rule.Scalar("metricsQuery")!)];
        }
    }

    public static IReadOnlyList<PromExpression> All => [.. DashboardExpressions, .. RuleExpressions, .. AdapterExpressions];

    /// <summary>
    /// Writes a Prometheus rules file: the PrometheusRule's groups as they are, and with
    /// <paramref name="alsoDashboardAndAdapter"/> one more group recording every dashboard and adapter
    /// expression (expanded), so that promtool checks those too.
    /// </summary>
    public static int WriteRulesFile(string path, bool alsoDashboardAndAdapter)
    {
        var groups = new YamlSequenceNode(PrometheusRule.Node("spec", "groups").Items());
        var count = Rules.Count;
        if (alsoDashboardAndAdapter)
        {
            var rules = new YamlSequenceNode(DashboardExpressions.Concat(AdapterExpressions).Select((e, i) => (YamlNode)new YamlMappingNode
            {
                { "record", $"check:expression_{i}:value" },
                { "expr", e.Expanded },
            }));
            groups.Add(new YamlMappingNode { { "name", "dashboard-and-adapter" }, { "rules", rules } });
            count += rules.Children.Count;
        }

        using var writer = new StreamWriter(path);
        new YamlStream(new YamlDocument(new YamlMappingNode { { "groups", groups } })).Save(writer, assignAnchors: false);
        return count;
    }

    /// <summary>The expression with Grafana's and the adapter's variables replaced (<see cref="Substitutions"/>).</summary>
    public static string Expand(string expr) =>
        Substitutions.Aggregate(expr, (text, s) => text.Replace(s.Variable, s.Value, StringComparison.Ordinal));

    /// <summary>
    /// The metric names an expression selects: identifiers outside label matchers, ranges, strings
    /// and grouping clauses that are not functions, aggregations or keywords.
    /// </summary>
    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var text = StringLiteral().Replace(expr, "\"\"");
        text = LabelMatchers().Replace(text, " ");
        text = RangeOrSubquery().Replace(text, " ");
        text = GroupingClause().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifier().Matches(text))
        {
            var name = match.Groups["name"].Value;
            var isCall = match.Groups["call"].Success;
            if (!isCall && !Keywords.Contains(name.ToLowerInvariant()))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>True for the service's own series: its own metrics, prometheus-net's http_* and process_*, and up.</summary>
    public static bool IsOwnSeries(string name) =>
        name.StartsWith("helloservice_", StringComparison.Ordinal) || name.StartsWith("http_", StringComparison.Ordinal)
        || name.StartsWith("process_", StringComparison.Ordinal) || ScrapeSeries.Contains(name);

    /// <summary>True when every series the expression reads, directly or through recording rules, is the service's own.</summary>
    public static bool UsesOnlyOwnSeries(PromExpression expression)
    {
        var recorded = Rules.Where(r => r.Record is not null).ToDictionary(r => r.Record!, r => r.Expr, StringComparer.Ordinal);
        bool Own(string name) => recorded.TryGetValue(name, out var definition)
            ? MetricNames(Expand(definition)).All(Own)
            : IsOwnSeries(name);
        return expression.Metrics.All(Own);
    }

    /// <summary>Every <c>helloservice_*</c> metric name written anywhere in a text (not a recorded name's middle part).</summary>
    public static IEnumerable<string> HelloServiceNames(string text) =>
        HelloServiceName().Matches(text).Select(m => m.Value);

    /// <summary>Metric names in a Prometheus text exposition (histogram families and their _bucket/_sum/_count).</summary>
    public static IReadOnlySet<string> ExposedNames(string exposition)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            var match = ExpositionName().Match(line);
            if (match.Success)
            {
                names.Add(match.Groups["name"].Value);
            }
        }

        return names;
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "inf", "nan",
    };

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex RangeOrSubquery();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")]
    private static partial Regex GroupingClause();

    [GeneratedRegex(@"(?<![\w:.$])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"(?<![\w:])helloservice_[a-z0-9_]+")]
    private static partial Regex HelloServiceName();

    [GeneratedRegex(@"^(?:# (?:TYPE|HELP) )?(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)")]
    private static partial Regex ExpositionName();
}
