using System.Text.Json.Nodes;
using Pipeline.Cli.Experiments;

namespace Pipeline.Cli.Tests.Experiments;

public sealed class ReferenceCaseRunnerTests
{
    [Fact]
    public void ExpectedValues_InTheInput_AreIgnored()
    {
        const string json = """{"cases": [{"kind": "holm_bonferroni", "p_values": [0.01, 0.02], "expected": {"adjusted": [9, 9]}}]}""";

        var result = Assert.Single(ReferenceCaseRunner.Run(json));

        Assert.Equal(0.02, result.Results["adjusted"]![0]!.GetValue<double>(), 12);
    }

    [Fact]
    public void SrmResults_CarryTheMismatchFlag()
    {
        var result = Assert.Single(ReferenceCaseRunner.Run("""{"cases": [{"kind": "srm", "observed": [5170, 4830], "weights": [0.5, 0.5]}]}"""));

        Assert.True(result.Results["mismatch"]!.GetValue<bool>());
    }

    [Fact]
    public void CupedAndSampleSizeCases_Run()
    {
        const string json = """
            {"cases": [
              {"kind": "cuped", "relative": false,
               "control":   {"units": 4, "sum": 10, "sum_squares": 30, "covariate_sum": 8, "covariate_sum_squares": 20, "sum_products": 24},
               "treatment": {"units": 4, "sum": 14, "sum_squares": 54, "covariate_sum": 8, "covariate_sum_squares": 20, "sum_products": 32}},
              {"kind": "sample_size_proportion", "baseline_rate": 0.1, "relative_mde": 0.1, "alpha": 0.05, "power": 0.8}
            ]}
            """;

        var results = ReferenceCaseRunner.Run(json);

        Assert.Equal(1.0, results[0].Results["estimate"]!.GetValue<double>(), 12);
        Assert.NotNull(results[0].Results["theta"]);
        Assert.InRange(results[1].Results["units_per_variant"]!.GetValue<long>(), 14_700, 14_800);
    }

    [Theory]
    [InlineData("""{"cases": [{"kind": "nope"}]}""", "cases[0]: unknown kind 'nope'")]
    [InlineData("""{"cases": [{"kind": "proportion", "control": {"units": 10}}]}""", "cases[0].control: missing field 'conversions'")]
    [InlineData("""{"cases": [{"kind": "srm", "observed": [1, 2], "weights": [0.5]}]}""", "cases[0] (srm)")]
    [InlineData("""{"cases": [{"kind": "proportion", "control": {"units": 10, "conversions": 20}, "treatment": {"units": 10, "conversions": 1}}]}""", "cases[0] (proportion)")]
    [InlineData("""{"items": []}""", "'cases' array")]
    [InlineData("""{"cases": [""", "not valid JSON")]
    public void InvalidInput_IsReportedWithWhereItIs(string json, string fragment)
    {
        var error = Assert.Throws<AnalysisInputException>(() => ReferenceCaseRunner.Run(json));

        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void JsonOutput_ListsKindAndResultsPerCase()
    {
        var results = ReferenceCaseRunner.Run("""{"cases": [{"kind": "benjamini_hochberg", "p_values": [0.01]}]}""");

        var json = ReferenceCaseRunner.ToJson(results);

        Assert.Equal("benjamini_hochberg", json["cases"]![0]!["kind"]!.GetValue<string>());
        Assert.IsType<JsonArray>(json["cases"]![0]!["results"]!["adjusted"]);
    }
}
