using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Tests.Experiments.Conformance;

public sealed class HashConformanceTests
{
    /// <summary>Each case: [seed, value, version, expected (null for an unknown version)].</summary>
    public static TheoryData<string, string, int, double?> Cases()
    {
        var data = new TheoryData<string, string, int, double?>();
        foreach (var c in GrowthBookStandardCases.Section("hash"))
        {
            data.Add(c![0]!.GetValue<string>(), c[1]!.GetValue<string>(), c[2]!.GetValue<int>(), c[3]?.GetValue<double>());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hash_MatchesGrowthBook(string seed, string value, int version, double? expected)
    {
        // The hash is an integer divided by 1000 or 10000, so it equals the JSON literal exactly.
        Assert.Equal(expected, GrowthBookHash.Hash(seed, value, version));
    }
}
