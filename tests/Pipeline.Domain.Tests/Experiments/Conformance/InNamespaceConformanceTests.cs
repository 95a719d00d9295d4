using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Tests.Experiments.Conformance;

public sealed class InNamespaceConformanceTests
{
    /// <summary>Each case: [name, userId, [namespaceId, start, end], expected].</summary>
    public static TheoryData<string, string, string, double, double, bool> Cases()
    {
        var data = new TheoryData<string, string, string, double, double, bool>();
        foreach (var c in GrowthBookStandardCases.Section("inNamespace"))
        {
            var ns = c![2]!.AsArray();
            data.Add(
                c[0]!.GetValue<string>(),
                c[1]!.GetValue<string>(),
                ns[0]!.GetValue<string>(),
                ns[1]!.GetValue<double>(),
                ns[2]!.GetValue<double>(),
                c[3]!.GetValue<bool>());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void InNamespace_MatchesGrowthBook(string name, string userId, string namespaceId, double start, double end, bool expected)
    {
        Assert.True(expected == BucketRanges.InNamespace(userId, new ExperimentNamespace(namespaceId, start, end)), name);
    }
}
