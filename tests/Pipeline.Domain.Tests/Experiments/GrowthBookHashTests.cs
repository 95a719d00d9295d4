using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Tests.Experiments;

public sealed class GrowthBookHashTests
{
    /// <summary>Expected values computed with GrowthBook's JavaScript hashFnv32a (UTF-16 code units).</summary>
    [Theory]
    [InlineData("exp", "usér-ü", 1, 0.494)]
    [InlineData("exp", "usér-ü", 2, 0.1754)]
    [InlineData("exp", "用户-😀", 1, 0.317)]
    [InlineData("exp", "用户-😀", 2, 0.3857)]
    [InlineData("seed", "Zoë", 1, 0.21)]
    [InlineData("seed", "Zoë", 2, 0.4369)]
    public void Hash_WhenValueIsNotAscii_MatchesJavaScriptSdk(string seed, string value, int version, double expected)
    {
        Assert.Equal(expected, GrowthBookHash.Hash(seed, value, version));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(-1)]
    public void Hash_WhenVersionUnknown_ReturnsNull(int version)
    {
        Assert.Null(GrowthBookHash.Hash("seed", "user", version));
    }

    [Fact]
    public void Fnv1a32_WhenContinuedFromPrefix_EqualsHashOfConcatenation()
    {
        Assert.Equal(GrowthBookHash.Fnv1a32("seeduser"), GrowthBookHash.Fnv1a32("user", GrowthBookHash.Fnv1a32("seed")));
    }

    [Fact]
    public void Fnv1a32_OfEmptyString_IsOffsetBasis()
    {
        Assert.Equal(0x811c9dc5u, GrowthBookHash.Fnv1a32(""));
    }

    [Fact]
    public void Hash_DoesNotAllocate()
    {
        var sink = 0d;
        sink += GrowthBookHash.Hash("warm-up", "user", 2) ?? 0;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            sink += GrowthBookHash.Hash("my-experiment", "user-123", 2) ?? 0;
            sink += GrowthBookHash.Hash("my-experiment", "user-123", 1) ?? 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sink > 0);
    }
}
