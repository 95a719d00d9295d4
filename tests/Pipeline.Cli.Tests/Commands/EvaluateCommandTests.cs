using System.Text.Json;

namespace Pipeline.Cli.Tests.Commands;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pipeline-cli-evaluate-" + Guid.NewGuid().ToString("N"));

    public EvaluateCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await PipelineCommandLine.InvokeAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private async Task<string> Generated()
    {
        var directory = Path.Combine(_root, "data");
        Assert.Equal(0, (await Run("data", "generate", "--out", directory, "--users", "300", "--items", "100", "--interactions", "6000")).ExitCode);
        return Path.Combine(directory, "interactions.csv");
    }

    [Theory]
    [InlineData("aws-sims")]
    [InlineData("arn:aws:personalize:::recipe/aws-user-personalization")]
    [InlineData("item-knn")]
    public async Task Evaluate_Json_PrintsSolutionMetricsTrainingSecondsAndMemory(string recipe)
    {
        var (exitCode, output, error) = await Run("evaluate", "--interactions", await Generated(), "--recipe", recipe, "--json");

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        foreach (var name in new[] { "coverage", "mean_reciprocal_rank_at_25", "normalized_discounted_cumulative_gain_at_5", "normalized_discounted_cumulative_gain_at_10",
                     "normalized_discounted_cumulative_gain_at_25", "precision_at_5", "precision_at_10", "precision_at_25", "recall_at_20", "training_seconds", "peak_working_set_mib" })
            Assert.True(json.RootElement.TryGetProperty(name, out _), name);
    }

    [Fact]
    public async Task Evaluate_PlainCsvWithNamedColumns_IsAccepted()
    {
        var path = Path.Combine(_root, "plain.csv");
        var lines = new List<string> { "who,what" };
        for (var u = 0; u < 60; u++)
            for (var k = 0; k < 5; k++) lines.Add($"user{u},item{(u * 7 + k * 3) % 40}");
        await File.WriteAllLinesAsync(path, lines);

        var (exitCode, output, error) = await Run("evaluate", "--interactions", path, "--recipe", "aws-popularity-count", "--holdout", "random", "--user-col", "who", "--item-col", "what");

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Contains("normalized_discounted_cumulative_gain_at_10", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_WithItems_UserPersonalizationReportsItsTunedHistoryAndCategorySettings()
    {
        var interactions = await Generated();
        var items = Path.Combine(Path.GetDirectoryName(interactions)!, "items.csv");

        var (exitCode, output, error) = await Run("evaluate", "--interactions", interactions, "--items", items, "--recipe", "aws-user-personalization", "--json");

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        foreach (var name in new[] { "hyperparameter.category_weight", "hyperparameter.event_type_weights", "hyperparameter.recency_half_life" })
            Assert.NotEqual("auto", json.RootElement.GetProperty(name).GetString());
    }

    [Theory]
    [InlineData("--recipe", "aws-nothing", "unknown --recipe 'aws-nothing'")]
    [InlineData("--holdout", "sideways", "--holdout must be personalize, time or random")]
    [InlineData("--items", "/no/such/items.csv", "--items '/no/such/items.csv' does not exist")]
    public async Task Evaluate_BadArguments_AreOneLineUsageErrors(string option, string value, string message)
    {
        var args = new List<string> { "evaluate", "--interactions", await Generated(), "--recipe", "aws-sims" };
        var index = args.IndexOf(option);
        if (index >= 0) args[index + 1] = value;
        else args.AddRange([option, value]);

        var (exitCode, _, error) = await Run([.. args]);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: " + message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task ConvertMsweb_WritesPersonalizeInteractions()
    {
        var input = Path.Combine(_root, "msweb.data");
        await File.WriteAllLinesAsync(input, ["A,1000,1,\"x\",\"/x\"", "C,\"10001\",10001", "V,1000,1", "V,1001,1", "C,\"10002\",10002", "V,1001,1"]);
        var output = Path.Combine(_root, "msweb.csv");

        var (exitCode, _, error) = await Run("data", "convert-msweb", "--in", input, "--out", output);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Equal(["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE", "10001,1000,0,view", "10001,1001,1,view", "10002,1001,2,view"], await File.ReadAllLinesAsync(output));
    }
}
