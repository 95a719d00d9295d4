using System.Text.Json;

namespace Pipeline.Cli.Tests.Commands;

/// <summary>`pipeline up` and `pipeline simulate` as separate processes; the experiment is judged by the API's own results.</summary>
public sealed class SimulateCommandTests
{
    [Fact]
    public async Task Simulate_PopularityAgainstUserPersonalization_TheResultsNameTreatmentTheWinnerOnCtr_WithoutSrm()
    {
        await using var stack = await SimulationStack.StartAsync();
        await stack.CreateAndStartAsync(SimulationStack.TwoArms("popularity", "aws-popularity-count", "user-personalization", "aws-user-personalization"));

        var output = await stack.SimulateAsync(seed: 7);

        Assert.Matches(@"requests 1200 failed 0 events \d+", output);
        Assert.Contains("user-personalization", output, StringComparison.Ordinal);
        var results = await stack.ResultsAsync();
        Assert.False(results.GetProperty("srm").GetProperty("mismatch").GetBoolean(), results.GetProperty("srm").ToString());
        var ctr = SimulationStack.Comparison(results, "ctr");
        Assert.Equal("user-personalization", ctr.GetProperty("variant").GetString());
        Assert.True(ctr.GetProperty("relative").GetProperty("ci_low").GetDouble() > 0, ctr.ToString());
        Assert.True(ctr.GetProperty("chance_to_win").GetDouble() > 0.99, ctr.ToString());
        // The simulated purchases carry price × quantity, so revenue per user is measured in both arms.
        var revenue = SimulationStack.Comparison(results, "revenue_per_user");
        Assert.True(revenue.GetProperty("control_value").GetDouble() > 0, revenue.ToString());
        Assert.True(revenue.GetProperty("treatment_value").GetDouble() > 0, revenue.ToString());
        Assert.Equal(JsonValueKind.Number, revenue.GetProperty("absolute").GetProperty("estimate").ValueKind);
    }

    [Fact]
    public async Task Simulate_AnAaTest_NamesNoWinner()
    {
        await using var stack = await SimulationStack.StartAsync();
        await stack.CreateAndStartAsync(SimulationStack.TwoArms("a", "aws-popularity-count", "b", "aws-popularity-count"));

        await stack.SimulateAsync(seed: 7);

        // No winner as a decision would be taken: the primary metric's intervals (fixed-horizon and always-valid) hold 0,
        // and no metric is significant once the four metrics are corrected for multiple testing (Holm).
        var results = await stack.ResultsAsync();
        Assert.False(results.GetProperty("srm").GetProperty("mismatch").GetBoolean(), results.GetProperty("srm").ToString());
        var ctr = SimulationStack.Comparison(results, "ctr");
        foreach (var interval in new[] { "relative", "sequential_relative" })
        {
            var effect = ctr.GetProperty(interval);
            Assert.True(effect.GetProperty("ci_low").GetDouble() < 0 && effect.GetProperty("ci_high").GetDouble() > 0, ctr.ToString());
        }
        foreach (var metric in new[] { "ctr", "conversion_rate", "revenue_per_user", "clicks_per_user" })
        {
            var comparison = SimulationStack.Comparison(results, metric);
            var holm = comparison.GetProperty("holm_p_value");
            Assert.True(holm.ValueKind == System.Text.Json.JsonValueKind.Null || holm.GetDouble() > 0.05, comparison.ToString());
        }
    }

    [Theory]
    [InlineData("--rps", "0")]
    [InlineData("--duration", "0")]
    [InlineData("--url", "not-a-url")]
    [InlineData("--users", "-1")]
    public async Task Simulate_WhenArgumentInvalid_FailsWithOneLine(string option, string value)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = option == "--url" ? ["simulate", option, value] : ["simulate", "--url", "http://127.0.0.1:1", option, value];

        var exitCode = await PipelineCommandLine.InvokeAsync(args, stdout, stderr);

        Assert.NotEqual(0, exitCode);
        Assert.StartsWith($"error: {option}", Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal("", stdout.ToString());
    }
}
