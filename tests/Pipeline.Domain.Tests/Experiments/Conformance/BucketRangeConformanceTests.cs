using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Tests.Experiments.Conformance;

public sealed class BucketRangeConformanceTests
{
    private const int Precision = 6; // GrowthBook's own tests round ranges before comparing

    /// <summary>Each case: [name, [numVariations, coverage, weights|null], [[start, end], ...]].</summary>
    public static TheoryData<string, int, double, double[]?, double[][]> Cases()
    {
        var data = new TheoryData<string, int, double, double[]?, double[][]>();
        foreach (var c in GrowthBookStandardCases.Section("getBucketRange"))
        {
            var args = c![1]!.AsArray();
            data.Add(
                c[0]!.GetValue<string>(),
                args[0]!.GetValue<int>(),
                args[1]!.GetValue<double>(),
                args[2] is null ? null : args[2].ToDoubles(),
                c[2].ToRanges());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GetBucketRanges_MatchesGrowthBook(string name, int numVariations, double coverage, double[]? weights, double[][] expected)
    {
        var actual = BucketRanges.GetBucketRanges(numVariations, coverage, weights);

        Assert.True(expected.Length == actual.Length, $"{name}: expected {expected.Length} ranges, got {actual.Length}");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i][0], actual[i].Start, Precision);
            Assert.Equal(expected[i][1], actual[i].End, Precision);
        }
    }
}
