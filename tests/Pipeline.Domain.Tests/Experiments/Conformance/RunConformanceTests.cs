using System.Text.Json.Nodes;
using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Tests.Experiments.Conformance;

public sealed class RunConformanceTests
{
    private const int RunCasesInSuite = 73;
    private const int ApplicableRunCases = 51;

    /// <summary>
    /// Each case: [name, context, experiment, expected value, inExperiment, hashUsed]; only the ones
    /// <see cref="RunCaseMapping.Applies"/> selects. JSON parts are passed as text so each row is its own test.
    /// </summary>
    public static TheoryData<string, string, string, string, bool, bool> ApplicableCases()
    {
        var data = new TheoryData<string, string, string, string, bool, bool>();
        foreach (var c in Applicable())
        {
            data.Add(
                c[0]!.GetValue<string>(),
                c[1]!.ToJsonString(),
                c[2]!.ToJsonString(),
                c[3]?.ToJsonString() ?? "null",
                c[4]!.GetValue<bool>(),
                c[5]!.GetValue<bool>());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ApplicableCases))]
    public void Run_MatchesGrowthBook(string name, string context, string experiment, string expectedValue, bool inExperiment, bool hashUsed)
    {
        var experimentJson = JsonNode.Parse(experiment)!.AsObject();
        var userId = RunCaseMapping.UserId(JsonNode.Parse(context)!.AsObject());
        var model = RunCaseMapping.ToExperiment(experimentJson);

        var index = VariantAssigner.AssignIndex(model, userId);
        var variant = VariantAssigner.Assign(model, userId);

        // Without forcing, a user is in the experiment exactly when the hash placed them.
        Assert.True(inExperiment == index >= 0, $"{name}: inExperiment");
        Assert.True(hashUsed == index >= 0, $"{name}: hashUsed");
        Assert.Equal(index < 0 ? null : model.Variants[index], variant);

        // GrowthBook reports the first variation's value when the user is not in the experiment.
        var value = experimentJson["variations"]![Math.Max(index, 0)];
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedValue), value), $"{name}: expected {expectedValue}, got {value?.ToJsonString()}");
    }

    [Fact]
    public void Run_Selection_KeepsEveryPlainExperimentCase()
    {
        Assert.Equal(RunCasesInSuite, GrowthBookStandardCases.Section("run").Count);
        Assert.Equal(ApplicableRunCases, Applicable().Count());
    }

    private static IEnumerable<JsonArray> Applicable() =>
        GrowthBookStandardCases.Section("run")
            .Select(c => c!.AsArray())
            .Where(c => RunCaseMapping.Applies(c[1]!.AsObject(), c[2]!.AsObject()));
}
