using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Observability;

/// <summary>
/// The last minutes of serving, per second, kept in this process for the console's Live and Models pages
/// (<c>GET /metrics/live</c>): requests, events, fallbacks and latency percentiles. The OpenTelemetry export
/// (<see cref="ApiMetrics"/>) stays the durable record; on Lambda each instance sees only its own traffic.
/// </summary>
public sealed class LiveMetrics(TimeProvider time)
{
    public const int WindowSeconds = 300;

    private readonly Second[] _seconds = Enumerable.Range(0, WindowSeconds).Select(_ => new Second()).ToArray();
    private readonly Dictionary<string, LatencyHistogram> _variants = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void RecommendationServed(double milliseconds, string? variant, string servedBy)
    {
        var fallback = !servedBy.StartsWith(ServedBy.Primary, StringComparison.Ordinal);
        lock (_lock)
        {
            var second = Current();
            second.Latency.Add(milliseconds, fallback);
            var key = variant ?? "none";
            if (!_variants.TryGetValue(key, out var histogram)) _variants[key] = histogram = new LatencyHistogram();
            histogram.Add(milliseconds, fallback);
        }
    }

    public void EventsRecorded(int count)
    {
        lock (_lock) Current().Events += count;
    }

    /// <summary>One row per second of the window, oldest first, and each variant's totals since the process started.</summary>
    public LiveMetricsBody Snapshot()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        lock (_lock)
        {
            var rows = new List<LiveSecondBody>(WindowSeconds);
            for (var t = now - WindowSeconds + 1; t <= now; t++)
            {
                var second = _seconds[t % WindowSeconds];
                rows.Add(second.Epoch == t
                    ? new LiveSecondBody(t, second.Latency.Count, second.Events, second.Latency.Fallbacks, second.Latency.Percentile(0.5), second.Latency.Percentile(0.99))
                    : new LiveSecondBody(t, 0, 0, 0, null, null));
            }
            var variants = _variants.OrderBy(v => v.Key, StringComparer.Ordinal)
                .Select(v => new LiveVariantBody(v.Key, v.Value.Count, v.Value.Fallbacks,
                    v.Value.Count == 0 ? null : (double)v.Value.Fallbacks / v.Value.Count, v.Value.Percentile(0.5), v.Value.Percentile(0.99)))
                .ToList();
            return new LiveMetricsBody(WindowSeconds, rows, variants);
        }
    }

    private Second Current()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var second = _seconds[now % WindowSeconds];
        if (second.Epoch != now) second.Reset(now);
        return second;
    }

    private sealed class Second
    {
        public long Epoch = -1;
        public long Events;
        public LatencyHistogram Latency = new();

        public void Reset(long epoch)
        {
            Epoch = epoch;
            Events = 0;
            Latency = new LatencyHistogram();
        }
    }
}

public sealed record LiveMetricsBody(int WindowSeconds, IReadOnlyList<LiveSecondBody> Seconds, IReadOnlyList<LiveVariantBody> Variants);

public sealed record LiveSecondBody(long Epoch, long Requests, long Events, long Fallbacks, double? P50Ms, double? P99Ms);

public sealed record LiveVariantBody(string Variant, long Requests, long Fallbacks, double? FallbackRate, double? P50Ms, double? P99Ms);
