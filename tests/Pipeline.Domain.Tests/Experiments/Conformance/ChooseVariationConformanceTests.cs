using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Tests.Experiments.Conformance;

public sealed class ChooseVariationConformanceTests
{
    /// <summary>Each case: [name, hash, [[start, end], ...], expected index (-1 for none)].</summary>
    public static TheoryData<string, double, double[][], int> Cases()
    {
        var data = new TheoryData<string, double, double[][], int>();
        foreach (var c in GrowthBookStandardCases.Section("chooseVariation"))
        {
            data.Add(c![0]!.GetValue<string>(), c[1]!.GetValue<double>(), c[2].ToRanges(), c[3]!.GetValue<int>());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ChooseVariation_MatchesGrowthBook(string name, double n, double[][] ranges, int expected)
    {
        var bucketRanges = ranges.Select(r => new BucketRange(r[0], r[1])).ToArray();

        Assert.True(expected == BucketRanges.ChooseVariation(n, bucketRanges), name);
    }
}
