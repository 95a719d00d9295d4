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

namespace Pipeline.Cli.Tests.Commands;

/// <summary>`pipeline workflow start training` runs the synthesized training ASL on the local Personalize in the data folder.</summary>
public sealed partial class WorkflowCommandsTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "pipeline-cli-workflow-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir)) Directory.Delete(_dataDir, recursive: true);
    }

    /// <summary>In &lt;data-dir&gt;/personalize: a dataset group with generated interactions imported, and a solution on a recipe.</summary>
    private async Task<string> SolutionAsync(string recipe = "aws-popularity-count") => (await SolutionAndCampaignAsync(recipe, campaign: false)).Solution;

    private async Task<(string Solution, string? Campaign)> SolutionAndCampaignAsync(string recipe = "aws-popularity-count", bool campaign = true)
    {
        var options = new LocalPersonalizeOptions { DataDirectory = Path.Combine(_dataDir, "personalize"), Lifecycle = LifecycleMode.Immediate };
        SyntheticDataGenerator.Generate(new SyntheticDataOptions(200, 150, 3000, Seed: 7), Path.Combine(options.ResolvedS3Root, "bucket", "data"));
        await using var personalize = new LocalPersonalize(options);
        async Task<string> Call(string operation, JsonObject request, string member)
        {
            var response = await personalize.InvokeAsync(operation, request);
            await personalize.WhenIdleAsync();
            return response[member]!.GetValue<string>();
        }
        var group = await Call("CreateDatasetGroup", new() { ["name"] = "shop" }, "datasetGroupArn");
        var schema = await Call("CreateSchema", new()
        {
            ["name"] = "shop-interactions",
            ["schema"] = await File.ReadAllTextAsync(Path.Combine(options.ResolvedS3Root, "bucket", "data", "interactions-schema.json")),
        }, "schemaArn");
        var dataset = await Call("CreateDataset", new()
        {
            ["name"] = "shop-interactions", ["schemaArn"] = schema, ["datasetGroupArn"] = group, ["datasetType"] = "Interactions",
        }, "datasetArn");
        await Call("CreateDatasetImportJob", new()
        {
            ["jobName"] = "shop-interactions-import", ["datasetArn"] = dataset,
            ["dataSource"] = new JsonObject { ["dataLocation"] = "s3://bucket/data/interactions.csv" },
            ["roleArn"] = "arn:aws:iam::000000000000:role/personalize",
        }, "datasetImportJobArn");
        var solution = await Call("CreateSolution", new() { ["name"] = "pop", ["datasetGroupArn"] = group, ["recipeArn"] = $"arn:aws:personalize:::recipe/{recipe}" }, "solutionArn");
        if (!campaign) return (solution, null);
        var version = await Call("CreateSolutionVersion", new() { ["solutionArn"] = solution }, "solutionVersionArn");
        return (solution, await Call("CreateCampaign", new() { ["name"] = "main", ["solutionVersionArn"] = version }, "campaignArn"));
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await PipelineCommandLine.InvokeAsync(args, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task StartTraining_OnATrainableSolution_PrintsSucceededWithMetrics_AndKeepsTheExecution()
    {
        var solution = await SolutionAsync();

        var (exitCode, stdout, stderr) = await RunAsync(
            "workflow", "start", "training", "--input", $$"""{"solutionArn": "{{solution}}"}""", "--data-dir", _dataDir, "--wait-scale", "0.001");

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("status:    SUCCEEDED", stdout, StringComparison.Ordinal);
        var output = JsonNode.Parse(OutputLine().Match(stdout).Groups[1].Value)!;
        Assert.Equal("ACTIVE", output["version"]!["status"]!.GetValue<string>());
        Assert.Contains("precision_at_25", output["metrics"]!["values"]!.AsObject().Select(m => m.Key));
        Assert.DoesNotContain("error:", stdout, StringComparison.Ordinal);

        var executionArn = ExecutionLine().Match(stdout).Groups[1].Value;
        Assert.StartsWith("arn:aws:states:us-east-1:000000000000:execution:training:", executionArn, StringComparison.Ordinal);
        var status = await RunAsync("workflow", "status", executionArn, "--data-dir", _dataDir);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("status:    SUCCEEDED", status.Stdout, StringComparison.Ordinal);
        var history = await RunAsync("workflow", "history", executionArn.Split(':')[^1], "--data-dir", _dataDir, "--json");
        var types = JsonNode.Parse(history.Stdout)!["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Equal("ExecutionStarted", types[0]);
        Assert.Equal("ExecutionSucceeded", types[^1]);
        Assert.Contains("TaskSucceeded", types);
        var list = await RunAsync("workflow", "list", "--data-dir", _dataDir);
        Assert.Contains("workflow  training", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("SUCCEEDED", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartTraining_WithCampaignAndExperiment_DeploysAndPointsTheLocalExperimentsVariant_AndLogsModelPromoted()
    {
        var (solution, campaign) = await SolutionAndCampaignAsync();
        await using (var database = new SqliteDatabase(Path.Combine(_dataDir, "pipeline.db")))
        {
            await new SqliteExperimentStore(database).UpsertAsync(DefaultExperiment.Create(DateTimeOffset.UtcNow));
        }
        var input = new JsonObject
        {
            ["solutionArn"] = solution, ["campaignArn"] = campaign,
            ["experiment"] = new JsonObject { ["key"] = DefaultExperiment.Key, ["variantIndex"] = 2 },
        };

        var (exitCode, stdout, stderr) = await RunAsync("workflow", "start", "training", "--input", input.ToJsonString(), "--data-dir", _dataDir);

        Assert.True(exitCode == 0, stdout + stderr);
        await using (var database = new SqliteDatabase(Path.Combine(_dataDir, "pipeline.db")))
        {
            var experiment = (await new SqliteExperimentStore(database).GetAsync(DefaultExperiment.Key))!;
            Assert.Equal([null, null, campaign], experiment.Variants.Select(v => v.Campaign));
        }
        var promoted = JsonNode.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_dataDir, "workflows", "events.jsonl"))))!;
        Assert.Equal("ModelPromoted", promoted["DetailType"]!.GetValue<string>());
        Assert.Equal(campaign, promoted["Detail"]!["campaignArn"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartTraining_WhenTrainingFails_PrintsFailedWithErrorAndCause_ExitsNonZero_AndWritesTheAlert()
    {
        var solution = await SolutionAsync("aws-hrnn");

        var (exitCode, stdout, _) = await RunAsync(
            "workflow", "start", "training", "--input", $$"""{"solutionArn": "{{solution}}"}""", "--data-dir", _dataDir);

        Assert.Equal(1, exitCode);
        Assert.Contains("status:    FAILED", stdout, StringComparison.Ordinal);
        Assert.Contains("error:     Personalize.SolutionVersionFailed", stdout, StringComparison.Ordinal);
        Assert.Contains("ended in status CREATE FAILED", stdout, StringComparison.Ordinal);
        var alert = JsonNode.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_dataDir, "workflows", "alerts.jsonl"))))!;
        Assert.Equal("Personalize.SolutionVersionFailed", alert["message"]!["error"]!["Error"]!.GetValue<string>());
        Assert.Equal(solution, alert["message"]!["solutionArn"]!.GetValue<string>());
        Assert.Equal("DescribeSolutionVersion", alert["message"]!["failedState"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartTeardown_OnTheDataFoldersPersonalize_DeletesTheDatasetGroup_AndListShowsBoth()
    {
        var (solution, _) = await SolutionAndCampaignAsync();
        var group = (await DescribeAsync("DescribeSolution", "solutionArn", solution))!["solution"]!["datasetGroupArn"]!.GetValue<string>();

        var (exitCode, stdout, _) = await RunAsync("workflow", "start", "teardown", "--input", $$"""{"dataset_group": "{{group}}"}""", "--data-dir", _dataDir);

        Assert.True(exitCode == 0, stdout);
        Assert.Contains("status:    SUCCEEDED", stdout, StringComparison.Ordinal);
        Assert.Null(await DescribeAsync("DescribeDatasetGroup", "datasetGroupArn", group));
        Assert.Null(await DescribeAsync("DescribeSolution", "solutionArn", solution));
        var (_, list, _) = await RunAsync("workflow", "list", "--data-dir", _dataDir);
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
        var solution = await SolutionAsync("aws-hrnn");

        var (exitCode, stdout, stderr) = await RunAsync(
            "workflow", "start", "training", "--input", $$"""{"solutionArn": "{{solution}}"}""", "--data-dir", _dataDir, "--alert-webhook", app.Urls.First() + "/hook");

        Assert.Equal(1, exitCode);
        Assert.Equal("", stderr);
        var alert = JsonNode.Parse(Assert.Single(received))!;
        Assert.Equal("DescribeSolutionVersion", alert["message"]!["failedState"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(alert, JsonNode.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_dataDir, "workflows", "alerts.jsonl"))))));
        Assert.Contains("posted to " + app.Urls.First() + "/hook", stdout, StringComparison.Ordinal);
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
        var (exitCode, stdout, stderr) = await RunAsync([.. args, "--data-dir", _dataDir]);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: " + message, stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [GeneratedRegex(@"^output:\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex OutputLine();

    [GeneratedRegex(@"^execution:\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex ExecutionLine();
}
