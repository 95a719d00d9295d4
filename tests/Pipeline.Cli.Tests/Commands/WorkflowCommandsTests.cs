using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Text.RegularExpressions;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Cli.LocalStack;
using Pipeline.Engine.Datasets;
using Pipeline.Personalize.Local;
using Pipeline.Personalize.Local.Lifecycle;
using static Pipeline.Cli.Tests.Commands.InProcessCli;

namespace Pipeline.Cli.Tests.Commands;

/// <summary>`pipeline workflow start training` runs the synthesized training ASL on the local Personalize in the data folder.</summary>
public sealed partial class WorkflowCommandsTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "pipeline-cli-workflow-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir)) Directory.Delete(_dataDir, recursive: true);
    }

    private static readonly string[] Recipes = ["aws-user-personalization", "aws-sims", "aws-popularity-count"];

    private static string CampaignArn(string recipe) => $"arn:aws:personalize:us-east-1:000000000000:campaign/pipeline-{recipe}";

    /// <summary>What `pipeline up` leaves in a data folder that training needs: its sample (same options, same bytes) and the default experiment.</summary>
    private async Task PipelineUpSampleAsync()
    {
        var options = new LocalStackOptions(_dataDir, LocalStackOptions.DefaultPort, LocalStackOptions.DefaultSample);
        SyntheticDataGenerator.Generate(options.SampleData, options.SampleDirectory);
        await using var database = new SqliteDatabase(options.DatabasePath);
        await new SqliteExperimentStore(database).UpsertAsync(DefaultExperiment.Create(DateTimeOffset.UtcNow));
    }

    private async Task<IEnumerable<string?>> DefaultExperimentCampaignsAsync()
    {
        await using var database = new SqliteDatabase(Path.Combine(_dataDir, "pipeline.db"));
        var experiment = (await new SqliteExperimentStore(database).GetAsync(DefaultExperiment.Key))!;
        return experiment.Variants.Select(v => v.Campaign).ToList();
    }

    private static string TrainingInput(string interactions = "s3://sample/interactions.csv") => new JsonObject
    {
        ["dataset_group"] = "pipeline",
        ["recipes"] = new JsonArray([.. Recipes.Select(r => (JsonNode)r)]),
        ["import"] = new JsonObject { ["interactions"] = interactions, ["items"] = "s3://sample/items.csv", ["users"] = "s3://sample/users.csv" },
        ["training_mode"] = "FULL",
        ["experiment"] = DefaultExperiment.Key,
    }.ToJsonString();

    /// <summary>
    /// The issue's "done when": on `pipeline up`'s sample, one command imports, trains the three recipes, creates their
    /// campaigns and points the default experiment's variants at them; then a forced training failure ends FAILED, the
    /// alert sink names the failed state, and what serves is unchanged.
    /// </summary>
    [Fact]
    public async Task StartTraining_OnThePipelineUpSample_ImportsTrainsThreeRecipesDeploysAndPointsTheExperiment_ThenAForcedFailureChangesNothing()
    {
        await PipelineUpSampleAsync();

        var (exitCode, stdout, stderr) = await Run("workflow", "start", "training", "--input", TrainingInput(), "--data-dir", _dataDir);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("status:    SUCCEEDED", stdout, StringComparison.Ordinal);
        var output = JsonNode.Parse(OutputLine().Match(stdout).Groups[1].Value)!;
        Assert.Equal(["ACTIVE", "ACTIVE", "ACTIVE"], output["imports"]!.AsArray().Select(i => i!["status"]!.GetValue<string>()));
        Assert.Equal(Recipes, output["results"]!.AsArray().Select(r => r!["recipe"]!.GetValue<string>()));
        Assert.All(output["results"]!.AsArray(), r => Assert.Equal("PROMOTED", r!["status"]!.GetValue<string>()));
        // The default experiment's variants (user-personalization, similar-items, popularity) now name the campaigns.
        Assert.Equal([.. Recipes.Select(CampaignArn)], await DefaultExperimentCampaignsAsync());
        var promoted = (await File.ReadAllLinesAsync(Path.Combine(_dataDir, "workflows", "events.jsonl"))).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(3, promoted.Count);
        Assert.All(promoted, e => Assert.Equal("ModelPromoted", e["DetailType"]!.GetValue<string>()));

        // The history reads like the workflow.
        var executionArn = ExecutionLine().Match(stdout).Groups[1].Value;
        var history = await Run("workflow", "history", executionArn, "--data-dir", _dataDir, "--json");
        var entered = JsonNode.Parse(history.Output)!["events"]!.AsArray()
            .Select(e => e!["stateEnteredEventDetails"]?["name"]?.GetValue<string>()).OfType<string>().ToList();
        Assert.Equal(["ValidateInput", "OnlineGateGiven", "ApplyDefaults", "MergeDefaults", "CompleteNestedDefaults", "MergeNestedDefaults", "FindRunningExecutions", "IsOldestRun", "CreateDatasetGroup"], entered[..9]);
        var order = new[] { "ImportDatasets", "InteractionsImported", "TrainRecipes", "CreateSolutionVersion", "GetSolutionMetrics", "CreateCampaign", "PointExperimentVariant", "EmitModelPromoted", "TrainingSucceeded" }
            .Select(s => entered.IndexOf(s)).ToList();
        Assert.All(order, i => Assert.True(i >= 0));
        Assert.Equal(order.Order(), order);

        // Forced failure: the interactions are replaced by 500 of them, fewer than training needs.
        var small = Path.Combine(_dataDir, "small", "interactions.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(small)!);
        await File.WriteAllLinesAsync(small, File.ReadLines(Path.Combine(_dataDir, "sample", "interactions.csv")).Take(501));

        var failed = await Run("workflow", "start", "training", "--input", TrainingInput("s3://small/interactions.csv"), "--data-dir", _dataDir);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("status:    FAILED", failed.Output, StringComparison.Ordinal);
        Assert.Contains("error:     Personalize.SolutionVersionFailed", failed.Output, StringComparison.Ordinal);
        var alert = JsonNode.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_dataDir, "workflows", "alerts.jsonl"))))!;
        Assert.Equal("DescribeSolutionVersion", alert["message"]!["failedState"]!.GetValue<string>());
        Assert.Equal("Personalize.SolutionVersionFailed", alert["message"]!["error"]!["Error"]!.GetValue<string>());
        Assert.Equal([.. Recipes.Select(CampaignArn)], await DefaultExperimentCampaignsAsync());
        Assert.Equal(3, (await File.ReadAllLinesAsync(Path.Combine(_dataDir, "workflows", "events.jsonl"))).Length);
        await using (var personalize = new LocalPersonalize(new LocalPersonalizeOptions { DataDirectory = Path.Combine(_dataDir, "personalize"), Lifecycle = LifecycleMode.Immediate }))
        {
            foreach (var (recipe, result) in Recipes.Zip(output["results"]!.AsArray()))
            {
                var campaign = (await personalize.InvokeAsync("DescribeCampaign", new() { ["campaignArn"] = CampaignArn(recipe) }))["campaign"]!;
                Assert.Equal(result!["solutionVersionArn"]!.GetValue<string>(), campaign["solutionVersionArn"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task StartTraining_WithAMalformedInput_PrintsFailedInValidateInput_AndWritesTheAlert()
    {
        var (exitCode, stdout, _) = await Run("workflow", "start", "training", "--input", """{"recipes":["aws-sims"]}""", "--data-dir", _dataDir);

        Assert.Equal(1, exitCode);
        Assert.Contains("error:     Pipeline.InvalidInput", stdout, StringComparison.Ordinal);
        Assert.Contains("cause:     dataset_group is required", stdout, StringComparison.Ordinal);
        var alert = JsonNode.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_dataDir, "workflows", "alerts.jsonl"))))!;
        Assert.Equal("ValidateInput", alert["message"]!["failedState"]!.GetValue<string>());
        var list = await Run("workflow", "list", "--data-dir", _dataDir);
        Assert.Contains("workflow  training", list.Output, StringComparison.Ordinal);
        Assert.Contains("FAILED", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartTeardown_OnTheDataFoldersPersonalize_DeletesTheDatasetGroup_AndListShowsBoth()
    {
        var (group, solution) = await DatasetGroupWithSolutionAsync();

        var (exitCode, stdout, _) = await Run("workflow", "start", "teardown", "--input", $$"""{"dataset_group": "{{group}}"}""", "--data-dir", _dataDir);

        Assert.True(exitCode == 0, stdout);
        Assert.Contains("status:    SUCCEEDED", stdout, StringComparison.Ordinal);
        Assert.Null(await DescribeAsync("DescribeDatasetGroup", "datasetGroupArn", group));
        Assert.Null(await DescribeAsync("DescribeSolution", "solutionArn", solution));
        var (_, list, _) = await Run("workflow", "list", "--data-dir", _dataDir);
        Assert.Contains("workflow  teardown", list, StringComparison.Ordinal);
        Assert.Matches(@"execution \S+  teardown  SUCCEEDED", list);
    }

    [Fact]
    public async Task StartTraining_WithAlertWebhook_PostsTheAlertToTheListener()
    {
        var received = new List<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            lock (received) received.Add(body);
        });
        await app.StartAsync();

        var (exitCode, stdout, stderr) = await Run(
            "workflow", "start", "training", "--input", """{"recipes":["aws-sims"]}""", "--data-dir", _dataDir, "--alert-webhook", app.Urls.First() + "/hook");

        Assert.Equal(1, exitCode);
        Assert.Equal("", stderr);
        var alert = JsonNode.Parse(Assert.Single(received))!;
        Assert.Equal("ValidateInput", alert["message"]!["failedState"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(alert, JsonNode.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_dataDir, "workflows", "alerts.jsonl"))))));
        Assert.Contains("posted to " + app.Urls.First() + "/hook", stdout, StringComparison.Ordinal);
    }

    private async Task<(string Group, string Solution)> DatasetGroupWithSolutionAsync()
    {
        await using var personalize = new LocalPersonalize(new LocalPersonalizeOptions { DataDirectory = Path.Combine(_dataDir, "personalize"), Lifecycle = LifecycleMode.Immediate });
        var group = (await personalize.InvokeAsync("CreateDatasetGroup", new JsonObject { ["name"] = "pipeline-shop" }))["datasetGroupArn"]!.GetValue<string>();
        await personalize.WhenIdleAsync();
        var solution = (await personalize.InvokeAsync("CreateSolution", new JsonObject
        {
            ["name"] = "pipeline-shop-pop", ["datasetGroupArn"] = group, ["recipeArn"] = "arn:aws:personalize:::recipe/aws-popularity-count",
        }))["solutionArn"]!.GetValue<string>();
        await personalize.WhenIdleAsync();
        return (group, solution);
    }

    private async Task<JsonObject?> DescribeAsync(string operation, string member, string arn)
    {
        await using var personalize = new LocalPersonalize(new LocalPersonalizeOptions { DataDirectory = Path.Combine(_dataDir, "personalize"), Lifecycle = LifecycleMode.Immediate });
        try
        {
            return await personalize.InvokeAsync(operation, new JsonObject { [member] = arn });
        }
        catch (Pipeline.Personalize.Local.Errors.PersonalizeException e) when (e.ErrorType == "ResourceNotFoundException")
        {
            return null;
        }
    }

    [Theory]
    [InlineData(new[] { "workflow", "start", "nightly" }, "unknown workflow 'nightly'; known: training, teardown.")]
    [InlineData(new[] { "workflow", "start", "training", "--alert-webhook", "ftp://example.com/hook" }, "--alert-webhook 'ftp://example.com/hook' is not an absolute http:// or https:// URL.")]
    [InlineData(new[] { "workflow", "start", "training", "--input-from-schedule", "--input", "{}" }, "give --input or --input-from-schedule, not both.")]
    [InlineData(new[] { "workflow", "start", "teardown", "--input-from-schedule" }, "--input-from-schedule applies to training, which the nightly rule starts.")]
    [InlineData(new[] { "workflow", "start", "training", "--input", "{nope" }, "--input is not JSON")]
    [InlineData(new[] { "workflow", "start", "training", "--input", "[1]" }, "--input must be a JSON object.")]
    [InlineData(new[] { "workflow", "start", "training", "--wait-scale", "0" }, "--wait-scale must be greater than 0 and at most 1, got 0.")]
    [InlineData(new[] { "workflow", "status", "no-such-execution" }, "no execution 'no-such-execution'")]
    public async Task Workflow_WithInvalidArguments_FailsWithOneLine(string[] args, string message)
    {
        var (exitCode, stdout, stderr) = await Run([.. args, "--data-dir", _dataDir]);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: " + message, stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [GeneratedRegex(@"^output:\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex OutputLine();

    [GeneratedRegex(@"^execution:\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex ExecutionLine();
}
