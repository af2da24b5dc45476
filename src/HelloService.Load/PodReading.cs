namespace HelloService.Load;

/// <summary>
/// The <c>pod</c> object of one answer: the answering pod's CPU over the server's window and its
/// CPU request (null when the pod does not know it), as the HPA would measure them.
/// </summary>
internal readonly record struct PodReading(double CpuMillicores, double? CpuRequestMillicores)
{
    /// <summary>Usage as a percentage of the request, or null when the request is unknown.</summary>
    public double? UtilizationPercent => CpuRequestMillicores is > 0 and var request ? 100 * CpuMillicores / request : null;
}
