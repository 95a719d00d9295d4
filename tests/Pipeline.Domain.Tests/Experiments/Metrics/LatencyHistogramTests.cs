using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Tests.Experiments.Metrics;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void UpperBounds_GrowBy25PercentFromAQuarterMillisecondToAboutThreeSeconds_WithAnOverflowBucketAbove()
    {
        var bounds = LatencyHistogram.UpperBoundsMs;

        Assert.Equal(43, bounds.Count);
        Assert.Equal(44, LatencyHistogram.BucketCount);
        Assert.Equal(0.25, bounds[0]);
        Assert.Equal(0.25 * Math.Pow(1.25, 42), bounds[^1], 1e-9);
        Assert.InRange(bounds[^1], 2900, 3000);
        Assert.All(bounds.Zip(bounds.Skip(1)), p => Assert.Equal(1.25, p.Second / p.First, 1e-12));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-3, 0)]
    [InlineData(double.NaN, 0)]
    [InlineData(0.25, 0)]            // a bound belongs to the bucket it closes
    [InlineData(0.2500001, 1)]
    [InlineData(0.3125, 1)]
    [InlineData(10, 17)]             // (8.88, 11.10]
    [InlineData(2938.735, 42)]       // the last bound is ≈ 2938.7359
    [InlineData(2938.736, 43)]       // past it: the overflow
    [InlineData(60_000, 43)]
    [InlineData(double.PositiveInfinity, 43)]
    public void BucketOf_IsTheFirstBucketWhoseUpperBoundIsAtLeastTheLatency(double latencyMs, int bucket)
    {
        Assert.Equal(bucket, LatencyHistogram.BucketOf(latencyMs));
    }

    [Fact]
    public void QuantileMs_IsTheUpperBoundOfTheBucketThatHoldsTheRankedList()
    {
        LatencyHistogram Of(int fast, int slow) => LatencyHistogram.FromCounts(
            [.. Enumerable.Range(0, LatencyHistogram.BucketCount).Select(i => i == 17 ? (long)fast : i == 27 ? slow : 0)]);

        // 1,000 lists: the p99 is the 990th. 990 fast ones reach it; 989 do not.
        Assert.Equal(LatencyHistogram.UpperBoundsMs[17], Of(990, 10).QuantileMs(0.99));
        Assert.Equal(LatencyHistogram.UpperBoundsMs[27], Of(989, 11).QuantileMs(0.99));
        Assert.Equal((LatencyHistogram.UpperBoundsMs[26], 11L), (LatencyHistogram.LowerBoundMs(27), Of(989, 11).CountAbove(26)));
    }

    [Fact]
    public void QuantileMs_InTheOverflowBucket_IsTheLastBound_AndOfAnEmptyHistogramNull()
    {
        Assert.Equal(LatencyHistogram.UpperBoundsMs[^1], LatencyHistogram.Of(10_000).QuantileMs(0.99));
        Assert.Null(LatencyHistogram.Empty.QuantileMs(0.99));
        Assert.Equal(0, LatencyHistogram.Empty.Total);
    }

    [Fact]
    public void Add_SumsBucketByBucket_AndHistogramsWithTheSameCountsAreEqual()
    {
        var sum = LatencyHistogram.Of(10).Add(LatencyHistogram.Of(10)).Add(LatencyHistogram.Of(100)).Add(LatencyHistogram.Empty);

        Assert.Equal((3L, 2L, 1L), (sum.Total, sum[LatencyHistogram.BucketOf(10)], sum[LatencyHistogram.BucketOf(100)]));
        var counts = new long[LatencyHistogram.BucketOf(100) + 1];
        counts[LatencyHistogram.BucketOf(10)] = 2;
        counts[^1] = 1;
        // Fewer counts than buckets (a store's trailing buckets missing) pad with zeros.
        Assert.Equal(sum, LatencyHistogram.FromCounts(counts));
        Assert.Equal(sum.GetHashCode(), LatencyHistogram.FromCounts(counts).GetHashCode());
        Assert.NotEqual(sum, LatencyHistogram.Of(10));
    }

    [Fact]
    public void FromCounts_WithMoreBucketsThanDefinedOrANegativeCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => LatencyHistogram.FromCounts(new long[LatencyHistogram.BucketCount + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyHistogram.FromCounts([1, -1]));
    }

    [Fact]
    public void OnExposure_CountsTheServedListInItsLatencyBucket_ForAnEnteringAndAReturningUser()
    {
        var exposure = new Exposure("r1", "exp", "a", "u1", "r", "primary", [], new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));

        var entered = ExperimentUserMetrics.OnExposure(null, 0, exposure, covariate: 0, latencyMs: 12)!;
        var again = ExperimentUserMetrics.OnExposure(entered.State, 0, exposure with { RecommendationId = "r2" }, covariate: 0, latencyMs: 700)!;

        Assert.Equal(LatencyHistogram.Of(12), entered.Delta.LatencyHistogram);
        Assert.Equal(LatencyHistogram.Of(700), again.Delta.LatencyHistogram);
        Assert.Equal(LatencyHistogram.Of(12).Add(LatencyHistogram.Of(700)), entered.Delta.Add(again.Delta).LatencyHistogram);
    }
}
