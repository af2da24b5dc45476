namespace HelloService.Load;

/// <summary>A pod that has had less than half its fair share of the answers for <see cref="FairnessWatch.Seconds"/> seconds in a row.</summary>
internal sealed record UnfairShare(string Host, int Seconds, double SharePercent, double FairSharePercent);

/// <summary>
/// Counts, per pod, the seconds in a row in which it got less than half of its fair share (1/n
/// of the answers, n the pods that answered in the last 10 s): the sign of connections pinned to
/// the old pods, which a Kubernetes Service balances per connection, not per request. Warns once
/// per streak. A second with fewer than two answers per pod tells nothing and is skipped.
/// </summary>
internal sealed class FairnessWatch
{
    public const int Seconds = 10;
    private const int MaxTracked = HostTally.MaxHosts + 2;

    private readonly Dictionary<string, int> _streaks = new(StringComparer.Ordinal);

    /// <param name="thisSecond">Answers of this second per pod.</param>
    /// <param name="pods">The pods that count (answered in the last 10 s).</param>
    public IReadOnlyList<UnfairShare> Observe(IReadOnlyDictionary<string, long> thisSecond, IReadOnlyCollection<string> pods)
    {
        var total = pods.Sum(p => thisSecond.GetValueOrDefault(p));
        if (pods.Count < 2 || total < 2 * pods.Count)
        {
            return [];
        }

        foreach (var gone in _streaks.Keys.Where(h => !pods.Contains(h)).ToList())
        {
            _streaks.Remove(gone);
        }

        var fair = 1.0 / pods.Count;
        var warnings = new List<UnfairShare>();
        foreach (var pod in pods)
        {
            var share = (double)thisSecond.GetValueOrDefault(pod) / total;
            if (share >= fair / 2)
            {
                _streaks.Remove(pod);
                continue;
            }

            var streak = _streaks.GetValueOrDefault(pod) + 1;
            if (streak <= Seconds && _streaks.Count < MaxTracked)
            {
                _streaks[pod] = streak;
            }

            if (streak == Seconds)
            {
                warnings.Add(new UnfairShare(pod, Seconds, Math.Round(100 * share, 1), Math.Round(100 * fair, 1)));
            }
        }

        return warnings;
    }
}
