using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Tests.Experiments.Conformance;

public sealed class EqualWeightsConformanceTests
{
    private const int Precision = 6; // expected values are truncated (0.33333333)

    /// <summary>Each case: [n, expected weights].</summary>
    public static TheoryData<int, double[]> Cases()
    {
        var data = new TheoryData<int, double[]>();
        foreach (var c in GrowthBookStandardCases.Section("getEqualWeights"))
        {
            data.Add(c![0]!.GetValue<int>(), c[1].ToDoubles());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GetEqualWeights_MatchesGrowthBook(int n, double[] expected)
    {
        var actual = BucketRanges.GetEqualWeights(n);

        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], Precision);
        }
    }
}
