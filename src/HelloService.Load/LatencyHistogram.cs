using System.Numerics;

namespace HelloService.Load;

/// <summary>
/// Latencies in a fixed number of log-linear buckets (HdrHistogram's layout): exact below
/// 128 us, then 64 buckets per doubling, so any percentile is within 1.6% of the truth and the
/// memory is 14 KB whatever the number of samples. Values above ~71 minutes land in the last bucket.
/// Not thread-safe: <see cref="LoadStats"/> guards it.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int LinearLimit = 128;
    private const int SubBuckets = 64;
    private const int SubBucketBits = 6;
    private const int MaxExponent = 31; // 2^32 us: 71 minutes
    private const int BucketCount = LinearLimit + ((MaxExponent - 6) * SubBuckets);

    private readonly long[] _counts = new long[BucketCount];
    private long _maxMicroseconds;

    public long Count { get; private set; }

    public void Record(TimeSpan latency)
    {
        var microseconds = Math.Max(0, (long)latency.TotalMicroseconds);
        _counts[Index(microseconds)]++;
        _maxMicroseconds = Math.Max(_maxMicroseconds, microseconds);
        Count++;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        _maxMicroseconds = Math.Max(_maxMicroseconds, other._maxMicroseconds);
        Count += other.Count;
    }

    public void Clear()
    {
        Array.Clear(_counts);
        _maxMicroseconds = 0;
        Count = 0;
    }

    /// <summary>The latency below which <paramref name="quantile"/> of the samples lie (upper bucket edge), or null when empty.</summary>
    public double? PercentileMs(double quantile)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return (i == BucketCount - 1 ? _maxMicroseconds : Math.Min(UpperEdge(i), _maxMicroseconds)) / 1000.0;
            }
        }

        return MaxMs;
    }

    public double? MaxMs => Count == 0 ? null : _maxMicroseconds / 1000.0;

    private static int Index(long microseconds)
    {
        if (microseconds < LinearLimit)
        {
            return (int)microseconds;
        }

        var exponent = Math.Min(63 - BitOperations.LeadingZeroCount((ulong)microseconds), MaxExponent);
        if (exponent == MaxExponent && microseconds >= 1L << (MaxExponent + 1))
        {
            return BucketCount - 1;
        }

        var shift = exponent - SubBucketBits;
        var sub = (int)(microseconds >> shift) - SubBuckets;
        return LinearLimit + ((exponent - 7) * SubBuckets) + sub;
    }

    private static long UpperEdge(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var exponent = 7 + ((index - LinearLimit) / SubBuckets);
        var sub = (index - LinearLimit) % SubBuckets;
        var shift = exponent - SubBucketBits;
        return ((long)(sub + SubBuckets + 1) << shift) - 1;
    }
}
