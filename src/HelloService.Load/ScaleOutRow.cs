namespace HelloService.Load;

/// <summary>
/// One rise in demand and how long each stage of the scale-out took, in seconds since the rise
/// began (null: not reached before the run ended). A row of the summary's stopwatch table.
/// </summary>
/// <param name="ScaleOutSeconds">When every stage was reached: the latest of them.</param>
internal sealed record ScaleOutRow(
    int Rise,
    double AtSeconds,
    double FromMillicores,
    double ToMillicores,
    double? NewPodSeconds,
    double? PodsReachedDesiredSeconds,
    double? AchievedSeconds,
    double? LatencySeconds,
    double? ScaleOutSeconds);
