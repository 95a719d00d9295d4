namespace Pipeline.Api.Observability;

/// <summary>Latencies in buckets 10% wide (0.01 ms to ~17 min): percentiles within 10%, in constant memory.</summary>
public sealed class LatencyHistogram
{
    private const double Smallest = 0.01;
    private static readonly double Growth = Math.Log(1.1);
    private readonly long[] _buckets = new long[200];

    public long Count { get; private set; }

    public long Fallbacks { get; private set; }

    public void Add(double milliseconds, bool fallback)
    {
        var index = milliseconds <= Smallest ? 0 : Math.Min(_buckets.Length - 1, (int)Math.Ceiling(Math.Log(milliseconds / Smallest) / Growth));
        _buckets[index]++;
        Count++;
        if (fallback) Fallbacks++;
    }

    /// <summary>The upper edge of the bucket holding the quantile; null when empty.</summary>
    public double? Percentile(double quantile)
    {
        if (Count == 0) return null;
        var rank = (long)Math.Ceiling(quantile * Count);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank) return Math.Round(Smallest * Math.Exp(i * Growth), 3);
        }
        return null;
    }
}
