namespace Pipeline.Domain.Experiments.Metrics;

/// <summary>
/// Counts of served lists per latency bucket. The buckets are fixed, so histograms add bucket by bucket like the other
/// sums (per variant, day and period in both stores) and a quantile of any sum of rows is read off the summed counts.
/// Bucket k holds latencies in (<c>UpperBoundsMs[k − 1]</c>, <c>UpperBoundsMs[k]</c>] (bucket 0 everything up to 0.25 ms);
/// the last bucket is the overflow, everything above the last bound. The bounds grow by 1.25×, so a quantile read as its
/// bucket's upper bound is at most 25% above the true one.
/// </summary>
public sealed class LatencyHistogram : IEquatable<LatencyHistogram>
{
    public const double FirstUpperBoundMs = 0.25;
    public const double Growth = 1.25;

    /// <summary>Buckets with an upper bound: 0.25 ms · 1.25^k for k = 0 … 42, the last ≈ 2,938 ms.</summary>
    public const int BoundedBuckets = 43;

    /// <summary>The bounded buckets and the overflow.</summary>
    public const int BucketCount = BoundedBuckets + 1;

    /// <summary>
    /// Each bounded bucket's upper bound, in ms. Built by repeated multiplication (each step correctly rounded), not
    /// <see cref="Math.Pow"/>, whose last bit may differ between platforms: stored counts must mean the same everywhere.
    /// </summary>
    public static IReadOnlyList<double> UpperBoundsMs { get; } = Bounds();

    private static readonly double[] BoundsArray = [.. UpperBoundsMs];

    public static LatencyHistogram Empty { get; } = new(new long[BucketCount]);

    private readonly long[] _counts;

    private LatencyHistogram(long[] counts) => _counts = counts;

    /// <summary>Counts as stored, bucket by bucket; missing trailing buckets are zeros (a store that had none reads as empty).</summary>
    public static LatencyHistogram FromCounts(IReadOnlyList<long> counts)
    {
        if (counts.Count > BucketCount)
            throw new ArgumentException($"A latency histogram has {BucketCount} buckets, not {counts.Count}.", nameof(counts));
        var copy = new long[BucketCount];
        for (var i = 0; i < counts.Count; i++)
        {
            if (counts[i] < 0) throw new ArgumentOutOfRangeException(nameof(counts), counts[i], "Bucket counts cannot be negative.");
            copy[i] = counts[i];
        }
        return new LatencyHistogram(copy);
    }

    /// <summary>One served list that took <paramref name="latencyMs"/>.</summary>
    public static LatencyHistogram Of(double latencyMs)
    {
        var counts = new long[BucketCount];
        counts[BucketOf(latencyMs)] = 1;
        return new LatencyHistogram(counts);
    }

    /// <summary>The bucket a latency falls in: the first whose upper bound is at least it (a non-number counts as 0 ms).</summary>
    public static int BucketOf(double latencyMs)
    {
        if (!(latencyMs > BoundsArray[0]))
        {
            return 0;
        }
        var i = Array.BinarySearch(BoundsArray, latencyMs);
        return i >= 0 ? i : ~i; // ~i: the first bound above it, or BoundedBuckets (the overflow) past the last
    }

    public long this[int bucket] => _counts[bucket];

    public IReadOnlyList<long> Counts => _counts;

    /// <summary>Served lists counted.</summary>
    public long Total => _counts.Sum();

    public LatencyHistogram Add(LatencyHistogram other)
    {
        if (ReferenceEquals(other, Empty)) return this;
        if (ReferenceEquals(this, Empty)) return other;
        var sum = new long[BucketCount];
        for (var i = 0; i < BucketCount; i++)
        {
            sum[i] = _counts[i] + other._counts[i];
        }
        return new LatencyHistogram(sum);
    }

    /// <summary>
    /// The bucket holding the <paramref name="quantile"/> (0 &lt; q &lt; 1): the first where the cumulative count reaches
    /// ⌈q · total⌉; null when nothing was counted.
    /// </summary>
    public int? QuantileBucket(double quantile)
    {
        if (!(quantile is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "A quantile is in (0, 1).");
        var total = Total;
        if (total == 0)
        {
            return null;
        }
        var rank = (long)Math.Ceiling(quantile * total);
        long cumulative = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            cumulative += _counts[i];
            if (cumulative >= rank) return i;
        }
        return BucketCount - 1;
    }

    /// <summary>
    /// The quantile in ms, read as its bucket's upper bound (at most one bucket step above the true value); in the overflow
    /// bucket the last bound, which the true value exceeds. Null when nothing was counted.
    /// </summary>
    public double? QuantileMs(double quantile) => QuantileBucket(quantile) is { } bucket ? UpperBoundMs(bucket) : null;

    /// <summary>The upper bound of a bounded bucket; for the overflow the last bound (its lower bound).</summary>
    public static double UpperBoundMs(int bucket) => BoundsArray[Math.Min(bucket, BoundedBuckets - 1)];

    /// <summary>The upper bound of the bucket below (0 for the first bucket): lists in the bucket are slower than this.</summary>
    public static double LowerBoundMs(int bucket) => bucket == 0 ? 0 : BoundsArray[bucket - 1];

    /// <summary>Lists in the buckets above <paramref name="bucket"/> (−1: all of them): those slower than its upper bound.</summary>
    public long CountAbove(int bucket)
    {
        long above = 0;
        for (var i = bucket + 1; i < BucketCount; i++)
        {
            above += _counts[i];
        }
        return above;
    }

    public bool Equals(LatencyHistogram? other) => other is not null && _counts.AsSpan().SequenceEqual(other._counts);

    public override bool Equals(object? obj) => Equals(obj as LatencyHistogram);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var c in _counts) hash.Add(c);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        "[" + string.Join(", ", _counts.Select((c, i) => (c, i)).Where(x => x.c > 0).Select(x => $"{(x.i == BoundedBuckets ? ">" : "≤")}{UpperBoundMs(x.i)}: {x.c}")) + "]";

    private static double[] Bounds()
    {
        var bounds = new double[BoundedBuckets];
        bounds[0] = FirstUpperBoundMs;
        for (var k = 1; k < BoundedBuckets; k++)
        {
            bounds[k] = bounds[k - 1] * Growth;
        }
        return bounds;
    }
}
