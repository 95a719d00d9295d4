using System.Text.Json.Nodes;
using Pipeline.Engine.Datasets;
using Pipeline.Personalize.Local;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.Workflows.Definitions;

namespace Pipeline.Workflows.Local.Tests;

/// <summary>The committed teardown ASL (what `cdk synth` writes) run on the local Personalize.</summary>
public sealed class TeardownWorkflowTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pipeline-teardown-tests-" + Guid.NewGuid().ToString("N"));
    private readonly LocalPersonalize _personalize;
    private readonly FileAlertSink _alerts;

    public TeardownWorkflowTests()
    {
        var s3 = Path.Combine(_root, "s3");
        SyntheticDataGenerator.Generate(new SyntheticDataOptions(200, 150, 3000, Seed: 7), Path.Combine(s3, "bucket", "data"));
        _personalize = new LocalPersonalize(new LocalPersonalizeOptions
        {
            DataDirectory = Path.Combine(_root, "personalize"),
            S3Root = s3,
            Lifecycle = LifecycleMode.Immediate,
        });
        _alerts = new FileAlertSink(Path.Combine(_root, "alerts.jsonl"));
    }

    [Fact]
    public async Task Teardown_OfAFullDatasetGroup_DeletesEverythingInPersonalizesOrder()
    {
        // A Domain group, so it can hold a recommender besides the custom solutions.
        var group = await Call("CreateDatasetGroup", new() { ["name"] = "pipeline-shop", ["domain"] = "ECOMMERCE" }, "datasetGroupArn");
        var interactions = await DatasetAsync(group, "Interactions", DatasetFiles.InteractionsSchema, DatasetFiles.Interactions);
        var items = await DatasetAsync(group, "Items", DatasetFiles.ItemsSchema, DatasetFiles.Items);
        var solutions = new List<string>();
        var campaigns = new List<string>();
        foreach (var name in new[] { "pipeline-pop", "pipeline-pop-2" })
        {
            var solution = await Call("CreateSolution", new()
            {
                ["name"] = name, ["datasetGroupArn"] = group, ["recipeArn"] = "arn:aws:personalize:::recipe/aws-popularity-count",
            }, "solutionArn");
            var version = await Call("CreateSolutionVersion", new() { ["solutionArn"] = solution }, "solutionVersionArn");
            campaigns.Add(await Call("CreateCampaign", new() { ["name"] = name, ["solutionVersionArn"] = version }, "campaignArn"));
            solutions.Add(solution);
        }
        var filter = await Call("CreateFilter", new()
        {
            ["name"] = "pipeline-no-purchased", ["datasetGroupArn"] = group,
            ["filterExpression"] = "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")",
        }, "filterArn");
        var tracker = await Call("CreateEventTracker", new() { ["name"] = "pipeline-events", ["datasetGroupArn"] = group }, "eventTrackerArn");
        var recommender = await Call("CreateRecommender", new()
        {
            ["name"] = "pipeline-recommended", ["datasetGroupArn"] = group, ["recipeArn"] = "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you",
        }, "recommenderArn");
        var attribution = await Call("CreateMetricAttribution", new()
        {
            ["name"] = "pipeline-attribution", ["datasetGroupArn"] = group,
            ["metrics"] = new JsonArray(new JsonObject { ["eventType"] = "click", ["expression"] = "SAMPLECOUNT()", ["metricName"] = "clicks" }),
            ["metricsOutputConfig"] = new JsonObject { ["roleArn"] = "arn:aws:iam::000000000000:role/personalize" },
        }, "metricAttributionArn");
        // Without the teardown's order Personalize keeps the group: it still has them.
        var refused = await Assert.ThrowsAsync<PersonalizeException>(() => _personalize.InvokeAsync("DeleteDatasetGroup", new() { ["datasetGroupArn"] = group }));
        Assert.Equal(ErrorTypes.ResourceInUse, refused.ErrorType);
        Assert.Contains("recommenders", refused.Message, StringComparison.Ordinal);
        Assert.Contains("metric attributions", refused.Message, StringComparison.Ordinal);
        // Another group must survive.
        var other = await Call("CreateDatasetGroup", new() { ["name"] = "pipeline-other" }, "datasetGroupArn");

        var execution = await RunAsync(group);

        Assert.True(execution.Status == ExecutionStatus.Succeeded, $"{execution.Status}: {execution.Error} {execution.Cause}");
        Assert.Empty(_alerts.Alerts);
        foreach (var (operation, member, arn) in campaigns.Select(c => ("DescribeCampaign", "campaignArn", c))
            .Concat(solutions.Select(s => ("DescribeSolution", "solutionArn", s)))
            .Append(("DescribeEventTracker", "eventTrackerArn", tracker))
            .Append(("DescribeFilter", "filterArn", filter))
            .Append(("DescribeRecommender", "recommenderArn", recommender))
            .Append(("DescribeMetricAttribution", "metricAttributionArn", attribution))
            .Append(("DescribeDataset", "datasetArn", interactions))
            .Append(("DescribeDataset", "datasetArn", items))
            .Append(("DescribeDatasetGroup", "datasetGroupArn", group)))
        {
            var e = await Assert.ThrowsAsync<PersonalizeException>(() => _personalize.InvokeAsync(operation, new JsonObject { [member] = arn }));
            Assert.Equal(ErrorTypes.ResourceNotFound, e.ErrorType);
        }
        var groups = (await _personalize.InvokeAsync("ListDatasetGroups", []))["datasetGroups"]!.AsArray();
        Assert.Equal(other, Assert.Single(groups)!["datasetGroupArn"]!.GetValue<string>());

        // Every deletion of one kind finished (its Describe answered not found) before the next kind started.
        var entered = execution.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName!).ToList();
        string[] order = ["DeleteCampaign", "DeleteSolution", "DeleteRecommender", "DeleteEventTracker", "DeleteFilter", "DeleteMetricAttribution", "DeleteDataset", "DeleteDatasetGroup"];
        Assert.Equal([2, 2, 1, 1, 1, 1, 2, 1], order.Select(state => entered.Count(s => s == state)));
        for (var i = 1; i < order.Length; i++)
        {
            Assert.True(entered.LastIndexOf(order[i - 1] + "Deleted") < entered.IndexOf(order[i]),
                $"{order[i - 1]} deletions finished after {order[i]} began: {string.Join(", ", entered)}");
        }
        Assert.Equal("TeardownSucceeded", entered[^1]);
    }

    [Fact]
    public async Task Teardown_OfAGroupThatIsAlreadyGone_Succeeds()
    {
        var group = await Call("CreateDatasetGroup", new() { ["name"] = "pipeline-empty" }, "datasetGroupArn");
        await _personalize.InvokeAsync("DeleteDatasetGroup", new() { ["datasetGroupArn"] = group });
        await _personalize.WhenIdleAsync();

        var execution = await RunAsync(group);

        Assert.True(execution.Status == ExecutionStatus.Succeeded, $"{execution.Status}: {execution.Error} {execution.Cause}");
    }

    [Fact]
    public async Task Teardown_WhenPersonalizeRejectsTheInput_FailsAndAlertsNamingTheState()
    {
        var execution = await RunAsync("not-an-arn");

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Personalize.InvalidInputException", execution.Error);
        var alert = Assert.Single(_alerts.Alerts);
        Assert.Equal("Pipeline teardown failed", alert.Subject);
        Assert.Equal("ListSolutionsForCampaigns", alert.MessageJson!["failedState"]!.GetValue<string>());
        Assert.Equal("not-an-arn", alert.MessageJson!["datasetGroup"]!.GetValue<string>());
        Assert.Single(File.ReadAllLines(_alerts.Path!));
    }

    private Task<Execution> RunAsync(string datasetGroup) =>
        new StateMachineRunner(LocalTaskInvokers.Create(_personalize, _alerts), new StateMachineRunnerOptions
        {
            WaitScale = 0.001,
            StateMachineName = LocalWorkflows.Teardown,
            RandomSeed = 1,
        }).RunAsync(TeardownDefinition.Json, new JsonObject { ["dataset_group"] = datasetGroup }.ToJsonString());

    private async Task<string> DatasetAsync(string group, string type, string schemaFile, string dataFile)
    {
        var schema = await Call("CreateSchema", new()
        {
            ["name"] = "pipeline-" + type.ToLowerInvariant(),
            ["schema"] = await File.ReadAllTextAsync(Path.Combine(_root, "s3", "bucket", "data", schemaFile)),
        }, "schemaArn");
        var dataset = await Call("CreateDataset", new()
        {
            ["name"] = "pipeline-" + type.ToLowerInvariant(), ["schemaArn"] = schema, ["datasetGroupArn"] = group, ["datasetType"] = type,
        }, "datasetArn");
        await Call("CreateDatasetImportJob", new()
        {
            ["jobName"] = "pipeline-import-" + type.ToLowerInvariant(),
            ["datasetArn"] = dataset,
            ["dataSource"] = new JsonObject { ["dataLocation"] = $"s3://bucket/data/{dataFile}" },
            ["roleArn"] = "arn:aws:iam::000000000000:role/personalize",
        }, "datasetImportJobArn");
        return dataset;
    }

    private async Task<string> Call(string operation, JsonObject request, string member)
    {
        var response = await _personalize.InvokeAsync(operation, request);
        await _personalize.WhenIdleAsync();
        return response[member]!.GetValue<string>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xunit 2 calls IAsyncLifetime on a test class, not IAsyncDisposable.
    public async Task DisposeAsync()
    {
        await _personalize.DisposeAsync();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
