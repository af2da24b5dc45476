namespace HelloService.Load;

/// <summary>
/// What the HPA would decide now, from the pods that answered recently (the <c>hpa</c> object of
/// a per-second NDJSON line).
/// </summary>
/// <param name="LimitedBy">
/// Why <see cref="DesiredReplicas"/> is not the raw formula's: <c>tolerance</c> (the ratio was
/// within 0.1 of 1), <c>maxReplicas</c>, <c>minReplicas</c>; null when nothing held it back.
/// </param>
internal sealed record HpaDecision(
    int TargetPercent,
    double AverageUtilizationPercent,
    int CurrentReplicas,
    int DesiredReplicas,
    string? LimitedBy);
