using Pipeline.Api.Observability;

namespace Pipeline.Api.Tests.Observability;

public sealed class LiveMetricsTests
{
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Snapshot_CountsEachSecondApart_AndEachVariantSinceStart()
    {
        var clock = new Clock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var live = new LiveMetrics(clock);
        live.RecommendationServed(2, "a", "primary");
        live.RecommendationServed(4, "b", "fallback:timeout");
        live.EventsRecorded(3);
        clock.Now = clock.Now.AddSeconds(1);
        live.RecommendationServed(8, "a", "primary+filter-budget");

        var snapshot = live.Snapshot();

        Assert.Equal(LiveMetrics.WindowSeconds, snapshot.Seconds.Count);
        var (previous, last) = (snapshot.Seconds[^2], snapshot.Seconds[^1]);
        Assert.Equal((1_800_000_000L, 2L, 3L, 1L), (previous.Epoch, previous.Requests, previous.Events, previous.Fallbacks));
        Assert.Equal((1_800_000_001L, 1L, 0L, 0L), (last.Epoch, last.Requests, last.Events, last.Fallbacks));
        var a = Assert.Single(snapshot.Variants, v => v.Variant == "a");
        Assert.Equal((2L, 0L, 0.0), (a.Requests, a.Fallbacks, a.FallbackRate));
        Assert.Equal(1.0, Assert.Single(snapshot.Variants, v => v.Variant == "b").FallbackRate);
    }

    [Fact]
    public void Snapshot_ForgetsSecondsOlderThanTheWindow()
    {
        var clock = new Clock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var live = new LiveMetrics(clock);
        live.RecommendationServed(2, "a", "primary");
        clock.Now = clock.Now.AddSeconds(LiveMetrics.WindowSeconds);

        Assert.All(live.Snapshot().Seconds, s => Assert.Equal(0, s.Requests));
    }

    [Fact]
    public void Percentiles_AreWithinTheBucketWidth()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++) histogram.Add(ms, fallback: false);

        Assert.InRange(histogram.Percentile(0.5)!.Value, 500, 550);
        Assert.InRange(histogram.Percentile(0.99)!.Value, 990, 1089);
        Assert.Null(new LatencyHistogram().Percentile(0.5));
    }
}
