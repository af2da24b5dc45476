namespace HelloService.Load;

/// <summary>
/// The HorizontalPodAutoscaler the generator imitates: <c>--hpa-target</c>, <c>--hpa-min</c>,
/// <c>--hpa-max</c>, whose defaults are k8s/base/hpa.yaml's (a test holds them equal).
/// </summary>
internal sealed record HpaSettings(int TargetPercent = HpaSettings.DefaultTarget, int MinReplicas = HpaSettings.DefaultMin, int MaxReplicas = HpaSettings.DefaultMax)
{
    public const int DefaultTarget = 80;
    public const int DefaultMin = 1;
    public const int DefaultMax = 6;

    /// <summary>The kube-controller-manager's default <c>--horizontal-pod-autoscaler-tolerance</c>.</summary>
    public const double Tolerance = 0.1;
}
