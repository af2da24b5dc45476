namespace HelloService.Load;

/// <summary>
/// Jain's fairness index of the pods' shares (R. Jain, D. Chiu, W. Hawe, DEC-TR-301, 1984):
/// (sum x)^2 / (n x sum x^2). 1 when every pod gets the same, 1/n when one pod gets everything.
/// </summary>
internal static class Fairness
{
    /// <returns>Null for no pods or no answers at all.</returns>
    public static double? JainIndex(IReadOnlyCollection<long> counts)
    {
        double sum = counts.Sum();
        double squares = counts.Sum(c => (double)c * c);
        return counts.Count == 0 || squares == 0 ? null : sum * sum / (counts.Count * squares);
    }
}
