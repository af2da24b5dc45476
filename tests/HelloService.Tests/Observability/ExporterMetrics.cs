namespace HelloService.Tests.Observability;

/// <summary>
/// Metric names of the two exporters kube-prometheus-stack runs beside the app, copied from their
/// own documentation (no cluster runs here, so the dashboard's and rules' use of them is checked
/// by name against these lists, not by a query).
/// </summary>
internal static class ExporterMetrics
{
    /// <summary>
    /// kube-state-metrics, from kubernetes/kube-state-metrics docs/metrics/workload/horizontalpodautoscaler-metrics.md,
    /// docs/metrics/cluster/node-metrics.md and docs/metrics/workload/pod-metrics.md (the stable and
    /// default-on rows).
    /// </summary>
    public static readonly IReadOnlySet<string> KubeStateMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "kube_horizontalpodautoscaler_info", "kube_horizontalpodautoscaler_annotations", "kube_horizontalpodautoscaler_labels",
        "kube_horizontalpodautoscaler_metadata_generation", "kube_horizontalpodautoscaler_spec_max_replicas",
        "kube_horizontalpodautoscaler_spec_min_replicas", "kube_horizontalpodautoscaler_spec_target_metric",
        "kube_horizontalpodautoscaler_status_target_metric", "kube_horizontalpodautoscaler_status_condition",
        "kube_horizontalpodautoscaler_status_current_replicas", "kube_horizontalpodautoscaler_status_desired_replicas",
        "kube_horizontalpodautoscaler_created",
        "kube_node_annotations", "kube_node_info", "kube_node_labels", "kube_node_role", "kube_node_spec_unschedulable",
        "kube_node_spec_taint", "kube_node_status_capacity", "kube_node_status_addresses", "kube_node_status_allocatable",
        "kube_node_status_condition", "kube_node_created", "kube_node_deletion_timestamp",
        "kube_pod_annotations", "kube_pod_info", "kube_pod_ips", "kube_pod_start_time", "kube_pod_completion_time",
        "kube_pod_owner", "kube_pod_labels", "kube_pod_status_phase", "kube_pod_status_qos_class", "kube_pod_status_ready",
        "kube_pod_status_scheduled", "kube_pod_container_info", "kube_pod_container_status_waiting",
        "kube_pod_container_status_waiting_reason", "kube_pod_container_status_running", "kube_pod_container_state_started",
        "kube_pod_container_status_terminated", "kube_pod_container_status_terminated_reason",
        "kube_pod_container_status_last_terminated_reason", "kube_pod_container_status_ready",
        "kube_pod_container_status_restarts_total", "kube_pod_container_resource_requests",
        "kube_pod_container_resource_limits", "kube_pod_created", "kube_pod_deletion_timestamp", "kube_pod_restart_policy",
    };

    /// <summary>
    /// cAdvisor (served by the kubelet at /metrics/cadvisor), from google/cadvisor
    /// docs/storage/prometheus.md, "Prometheus container metrics": the CPU and memory rows that are
    /// on by default.
    /// </summary>
    public static readonly IReadOnlySet<string> Cadvisor = new HashSet<string>(StringComparer.Ordinal)
    {
        "container_cpu_cfs_periods_total", "container_cpu_cfs_throttled_periods_total", "container_cpu_cfs_throttled_seconds_total",
        "container_cpu_load_average_10s", "container_cpu_system_seconds_total", "container_cpu_usage_seconds_total",
        "container_cpu_user_seconds_total", "container_last_seen", "container_memory_cache", "container_memory_failcnt",
        "container_memory_failures_total", "container_memory_max_usage_bytes", "container_memory_rss", "container_memory_swap",
        "container_memory_mapped_file", "container_memory_usage_bytes", "container_memory_working_set_bytes",
        "container_spec_cpu_period", "container_spec_cpu_quota", "container_spec_cpu_shares", "container_spec_memory_limit_bytes",
        "container_start_time_seconds",
    };

    public static bool Contains(string name) => KubeStateMetrics.Contains(name) || Cadvisor.Contains(name);
}
