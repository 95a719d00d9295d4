using System.Text.Json;
using static Pipeline.Cli.Tests.Commands.InProcessCli;

namespace Pipeline.Cli.Tests.Commands;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pipeline-cli-evaluate-" + Guid.NewGuid().ToString("N"));

    public EvaluateCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

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

    /// <summary>Users 0-59 each hold items of one of three groups: train a prefix of the group, test its rest.</summary>
    private string[] UserItemListFiles()
    {
        var paths = new[] { Path.Combine(_root, "train.txt.gz"), Path.Combine(_root, "valid.txt"), Path.Combine(_root, "test.txt") };
        var lines = new List<string>[] { [], [], [] };
        for (var u = 0; u < 60; u++)
        {
            var items = Enumerable.Range(0, 10).Select(k => (u % 3) * 10 + (k + u) % 10).ToArray();
            lines[0].Add($"{u} {string.Join(' ', items[..6])}");
            lines[1].Add($"{u} {string.Join(' ', items[6..8])}");
            lines[2].Add($"{u} {string.Join(' ', items[8..])}");
        }
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(paths[0]), System.IO.Compression.CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gzip)) writer.Write(string.Join('\n', lines[0]) + "\n");
        File.WriteAllLines(paths[1], lines[1]);
        File.WriteAllLines(paths[2], lines[2]);
        return paths;
    }

    [Fact]
    public async Task Evaluate_TrainValidTestFiles_TunesOnValidRefitsOnBoth_AndPrintsTheProtocolsMetrics()
    {
        var files = UserItemListFiles();

        var (exitCode, output, error) = await Run("evaluate", "--train", files[0], "--valid", files[1], "--test", files[2],
            "--recipe", "aws-user-personalization", "--json");

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(60, json.RootElement.GetProperty("test_users").GetInt32());
        Assert.StartsWith("train+valid", json.RootElement.GetProperty("training_data").GetString(), StringComparison.Ordinal);
        // Each group's test items co-occur with its training items: a model that learnt anything finds them.
        Assert.True(json.RootElement.GetProperty("recall_at_20").GetDouble() > 0.5);
        Assert.InRange(json.RootElement.GetProperty("ndcg_at_20").GetDouble(), 0.2, 1);
    }

    [Fact]
    public async Task Evaluate_TrainWithoutTest_FailsWithOneLine()
    {
        var files = UserItemListFiles();

        var (exitCode, _, error) = await Run("evaluate", "--train", files[0], "--recipe", "aws-user-personalization");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--train needs --test", error, StringComparison.Ordinal);
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
