using System.Text.Json.Nodes;
using Pipeline.Engine.Datasets;
using Pipeline.Personalize.Local;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.Workflows.Definitions;

namespace Pipeline.Workflows.Local.Tests;

/// <summary>
/// A local Personalize (immediate lifecycle) on a temporary folder with a generated dataset imported into a dataset
/// group, and the committed training ASL run on it by the States Language interpreter.
/// </summary>
public sealed class TrainingScenario : IAsyncDisposable
{
    public const string PopularityRecipe = "arn:aws:personalize:::recipe/aws-popularity-count";

    private TrainingScenario(string root, LifecycleMode lifecycle)
    {
        Root = root;
        var s3 = Path.Combine(root, "s3");
        SyntheticDataGenerator.Generate(new SyntheticDataOptions(200, 150, 3000, Seed: 7), Path.Combine(s3, "bucket", "data"));
        Personalize = new LocalPersonalize(new LocalPersonalizeOptions
        {
            DataDirectory = Path.Combine(root, "personalize"),
            S3Root = s3,
            Lifecycle = lifecycle,
            StepDelay = TimeSpan.FromMilliseconds(250),
        });
        Alerts = new FileAlertSink(Path.Combine(root, "alerts.jsonl"));
    }

    public string Root { get; }
    public LocalPersonalize Personalize { get; }
    public FileAlertSink Alerts { get; }

    /// <summary>The experiments table: experiment key → each variant's campaign ARN (null when none).</summary>
    public Dictionary<string, string?[]> Experiments { get; } = [];

    /// <summary>Every putEvents entry the workflow sent.</summary>
    public List<JsonNode> Events { get; } = [];

    private Task<JsonNode?> UpdateExperimentAsync(string action, JsonNode? parameters, CancellationToken cancellationToken)
    {
        Assert.Equal("updateItem", action);
        var update = ExperimentVariantUpdate.Parse(parameters);
        lock (Experiments)
        {
            if (!Experiments.TryGetValue(update.ExperimentKey, out var variants))
                throw ExperimentVariantUpdate.ConditionalCheckFailed($"no experiment {update.ExperimentKey}");
            if (update.VariantIndex >= variants.Length)
                throw ExperimentVariantUpdate.ConditionalCheckFailed($"experiment {update.ExperimentKey} has {variants.Length} variants");
            variants[update.VariantIndex] = update.CampaignArn;
        }
        return Task.FromResult<JsonNode?>(null);
    }

    private Task RecordEventsAsync(JsonNode? parameters, CancellationToken cancellationToken)
    {
        lock (Events) Events.AddRange(parameters!["Entries"]!.AsArray().Select(e => e!.DeepClone()));
        return Task.CompletedTask;
    }

    public static TrainingScenario Create(LifecycleMode lifecycle = LifecycleMode.Immediate) =>
        new(Path.Combine(Path.GetTempPath(), "pipeline-workflows-tests-" + Guid.NewGuid().ToString("N")), lifecycle);

    public async Task<string> Call(string operation, JsonObject request, string member)
    {
        var response = await Personalize.InvokeAsync(operation, request);
        await Personalize.WhenIdleAsync();
        return response[member]!.GetValue<string>();
    }

    /// <summary>Dataset group "shop" with the generated interactions imported.</summary>
    public async Task<string> DatasetGroupWithInteractionsAsync()
    {
        var group = await Call("CreateDatasetGroup", new() { ["name"] = "shop" }, "datasetGroupArn");
        var schema = await Call("CreateSchema", new()
        {
            ["name"] = "shop-interactions",
            ["schema"] = await File.ReadAllTextAsync(Path.Combine(Root, "s3", "bucket", "data", "interactions-schema.json")),
        }, "schemaArn");
        var dataset = await Call("CreateDataset", new()
        {
            ["name"] = "shop-interactions", ["schemaArn"] = schema, ["datasetGroupArn"] = group, ["datasetType"] = "Interactions",
        }, "datasetArn");
        await Call("CreateDatasetImportJob", new()
        {
            ["jobName"] = "shop-interactions-import",
            ["datasetArn"] = dataset,
            ["dataSource"] = new JsonObject { ["dataLocation"] = "s3://bucket/data/interactions.csv" },
            ["roleArn"] = "arn:aws:iam::000000000000:role/personalize",
        }, "datasetImportJobArn");
        return group;
    }

    public Task<string> SolutionAsync(string group, string name, string recipe = PopularityRecipe) =>
        Call("CreateSolution", new() { ["name"] = name, ["datasetGroupArn"] = group, ["recipeArn"] = recipe }, "solutionArn");

    /// <summary>A first version of the solution, trained directly, and a campaign serving it.</summary>
    public async Task<(string Version, string Campaign)> CampaignAsync(string solutionArn, string name)
    {
        var version = await Call("CreateSolutionVersion", new() { ["solutionArn"] = solutionArn }, "solutionVersionArn");
        return (version, await Call("CreateCampaign", new() { ["name"] = name, ["solutionVersionArn"] = version }, "campaignArn"));
    }

    public async Task<string> ServedVersionAsync(string campaignArn) =>
        (await Personalize.InvokeAsync("DescribeCampaign", new() { ["campaignArn"] = campaignArn }))["campaign"]!["solutionVersionArn"]!.GetValue<string>();

    public Task<Execution> RunTrainingAsync(string solutionArn, string? campaignArn = null, string? experiment = null, int variantIndex = 0)
    {
        var input = new JsonObject { ["solutionArn"] = solutionArn };
        if (campaignArn is not null) input["campaignArn"] = campaignArn;
        if (experiment is not null) input["experiment"] = new JsonObject { ["key"] = experiment, ["variantIndex"] = variantIndex };
        return new StateMachineRunner(LocalTaskInvokers.Create(Personalize, Alerts, UpdateExperimentAsync, RecordEventsAsync), new StateMachineRunnerOptions
        {
            WaitScale = 0.001,
            StateMachineName = "Training",
            RandomSeed = 1,
        }).RunAsync(TrainingDefinition.Json, input.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await Personalize.DisposeAsync();
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
