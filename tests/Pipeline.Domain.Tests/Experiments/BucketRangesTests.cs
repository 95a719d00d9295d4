using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Tests.Experiments;

public sealed class BucketRangesTests
{
    [Fact]
    public void GetBucketRanges_SpanOverload_MatchesArrayOverload()
    {
        double[] weights = [0.2, 0.3, 0.5];
        Span<BucketRange> ranges = stackalloc BucketRange[3];

        BucketRanges.GetBucketRanges(0.2, weights, ranges);

        Assert.Equal(BucketRanges.GetBucketRanges(3, 0.2, weights), ranges.ToArray());
    }

    [Fact]
    public void GetBucketRanges_WhenNoVariations_ReturnsEmpty()
    {
        Assert.Empty(BucketRanges.GetBucketRanges(0, 1, [0.5, 0.5]));
    }

    [Fact]
    public void BucketRange_IsHalfOpen()
    {
        var range = new BucketRange(0.25, 0.5);

        Assert.True(range.Contains(0.25));
        Assert.False(range.Contains(0.5));
    }

    [Fact]
    public void InNamespace_WhenIdIsLong_StillHashesWholeSeed()
    {
        var longId = new string('n', 200);
        var expected = GrowthBookHash.Hash("__" + longId, "user-1", 1)!.Value;

        Assert.True(BucketRanges.InNamespace("user-1", new ExperimentNamespace(longId, expected, expected + 0.001)));
        Assert.False(BucketRanges.InNamespace("user-1", new ExperimentNamespace(longId, 0, expected)));
    }
}
