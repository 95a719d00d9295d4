using System.Text.Json.Nodes;
using Pipeline.Api.Functions;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Training;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.InHouse;
using Pipeline.Personalize.Local;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.StatesLanguage.Tasks;
using Pipeline.Workflows.Definitions;

namespace Pipeline.Workflows.Local.Tests;

/// <summary>
/// A local Personalize on a temporary folder whose S3 root holds a generated dataset (<c>s3://bucket/data/*.csv</c>),
/// an in-memory experiments table, and the committed training ASL run on them by the States Language interpreter.
/// </summary>
public sealed class TrainingScenario : IAsyncDisposable
{
    public const string Group = "shop";
    public static readonly string[] ThreeRecipes = ["aws-user-personalization", "aws-sims", "aws-popularity-count"];

    private TrainingScenario(string root, LifecycleMode lifecycle)
    {
        Root = root;
        SyntheticDataGenerator.Generate(new SyntheticDataOptions(200, 150, 3000, Seed: 7), Path.Combine(root, "s3", "bucket", "data"));
        Personalize = new LocalPersonalize(new LocalPersonalizeOptions
        {
            DataDirectory = Path.Combine(root, "personalize"),
            S3Root = Path.Combine(root, "s3"),
            Lifecycle = lifecycle,
            StepDelay = TimeSpan.FromMilliseconds(100),
        });
        Alerts = new FileAlertSink(Path.Combine(root, "alerts.jsonl"));
    }

    public string Root { get; }
    public LocalPersonalize Personalize { get; }
    public FileAlertSink Alerts { get; }

    /// <summary>The experiments table: experiment key → its variants (recipe and campaign).</summary>
    public Dictionary<string, Variant[]> Experiments { get; } = [];

    /// <summary>Every putEvents entry the workflow sent.</summary>
    public List<JsonNode> Events { get; } = [];

    public static TrainingScenario Create(LifecycleMode lifecycle = LifecycleMode.Immediate) =>
        new(Path.Combine(Path.GetTempPath(), "pipeline-workflows-tests-" + Guid.NewGuid().ToString("N")), lifecycle);

    /// <summary>An experiment with one variant per recipe, in order, none pointed at a campaign yet.</summary>
    public void Experiment(string key, params string[] recipes) =>
        Experiments[key] = [.. recipes.Select((recipe, i) => new Variant("v" + i, 1.0 / recipes.Length, recipe))];

    public IEnumerable<string?> CampaignsOf(string experiment)
    {
        lock (Experiments) return Experiments[experiment].Select(v => v.Campaign).ToList();
    }

    /// <summary>The sample's files as import locations (the generator writes interactions, items and users CSVs).</summary>
    public static JsonObject SampleImport() => new()
    {
        ["interactions"] = "s3://bucket/data/interactions.csv",
        ["items"] = "s3://bucket/data/items.csv",
        ["users"] = "s3://bucket/data/users.csv",
    };

    /// <summary>The first <paramref name="lines"/> interactions (header included) as another S3 object: too few to train on.</summary>
    public string TruncatedInteractions(int lines)
    {
        var source = Path.Combine(Root, "s3", "bucket", "data", "interactions.csv");
        var target = Path.Combine(Root, "s3", "bucket", "small", "interactions.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllLines(target, File.ReadLines(source).Take(lines));
        return "s3://bucket/small/interactions.csv";
    }

    /// <summary>Rows <paramref name="skip"/>+1 … <paramref name="skip"/>+<paramref name="take"/> of the interactions, with the header, as another S3 object.</summary>
    public string InteractionsSlice(int skip, int take, string name)
    {
        var lines = File.ReadLines(Path.Combine(Root, "s3", "bucket", "data", "interactions.csv")).ToList();
        var target = Path.Combine(Root, "s3", "bucket", "slices", name + ".csv");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllLines(target, [lines[0], .. lines.Skip(1 + skip).Take(take)]);
        return $"s3://bucket/slices/{name}.csv";
    }

    public static JsonObject Input(string[] recipes, JsonObject? import = null, string? experiment = null, JsonObject? promoteIf = null, string? trainingMode = null)
    {
        var input = new JsonObject { ["dataset_group"] = Group, ["recipes"] = new JsonArray([.. recipes.Select(r => (JsonNode)r)]) };
        if (import is not null) input["import"] = import;
        if (experiment is not null) input["experiment"] = experiment;
        if (promoteIf is not null) input["promote_if"] = promoteIf;
        if (trainingMode is not null) input["training_mode"] = trainingMode;
        return input;
    }

    /// <summary>What ListExecutions answers (the machine's RUNNING executions); null: only the run itself.</summary>
    public RunningExecutions? Running { get; set; }

    /// <summary>A training run; the in-house trainer writes under the local S3 root unless <paramref name="inHouseTrainer"/> is given.</summary>
    public Task<Execution> RunTrainingAsync(JsonNode input, InHouseTrainingHandler? inHouseTrainer = null) =>
        new StateMachineRunner(LocalTaskInvokers.Create(Personalize, Alerts, ExperimentsTableAsync, RecordEventsAsync, running: Running,
            inHouseTrainer: new InHouseTrainerFunction(inHouseTrainer ?? LocalTaskInvokers.LocalInHouseTrainer(Personalize)).HandleJsonAsync,
            metricGate: new MetricGateFunction(new PromotionRule()).HandleJsonAsync), new StateMachineRunnerOptions
        {
            WaitScale = 0.001,
            StateMachineName = "Training",
            RandomSeed = 1,
        }).RunAsync(TrainingDefinition.Json, input.ToJsonString());

    public static string CampaignArn(string recipe) => $"arn:aws:personalize:us-east-1:000000000000:campaign/{Group}-{recipe}";

    public static string SolutionArn(string recipe) => $"arn:aws:personalize:us-east-1:000000000000:solution/{Group}-{recipe}";

    public async Task<JsonObject> DescribeCampaignAsync(string recipe) =>
        (await Personalize.InvokeAsync("DescribeCampaign", new() { ["campaignArn"] = CampaignArn(recipe) }))["campaign"]!.AsObject();

    public async Task<string> ServedVersionAsync(string recipe) => (await DescribeCampaignAsync(recipe))["solutionVersionArn"]!.GetValue<string>();

    public async Task<double> MetricAsync(string solutionVersionArn, string metric) =>
        (await Personalize.InvokeAsync("GetSolutionMetrics", new() { ["solutionVersionArn"] = solutionVersionArn }))["metrics"]![metric]!.GetValue<double>();

    /// <summary>The names of the states entered, in order (states of parallel iterations interleave).</summary>
    public static List<string> Entered(Execution execution) =>
        [.. execution.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName!)];

    /// <summary>The experiments table as DynamoDB would answer GetItem and UpdateItem on it.</summary>
    private Task<JsonNode?> ExperimentsTableAsync(string action, JsonNode? parameters, CancellationToken cancellationToken)
    {
        lock (Experiments)
        {
            switch (action)
            {
                case "getItem":
                    var key = ExperimentItem.KeyOf(parameters);
                    var found = Experiments.TryGetValue(key, out var variants)
                        ? new Experiment(key, ExperimentStatus.Running, variants, 1, key, DateTimeOffset.UnixEpoch)
                        : null;
                    return Task.FromResult<JsonNode?>(ExperimentItem.GetItemResult(found));
                case "updateItem":
                    var update = ExperimentVariantUpdate.Parse(parameters);
                    if (!Experiments.TryGetValue(update.ExperimentKey, out var current))
                        throw ExperimentVariantUpdate.ConditionalCheckFailed($"no experiment {update.ExperimentKey}");
                    if (update.VariantIndex >= current.Length)
                        throw ExperimentVariantUpdate.ConditionalCheckFailed($"experiment {update.ExperimentKey} has {current.Length} variants");
                    current[update.VariantIndex] = current[update.VariantIndex] with { Campaign = update.CampaignArn };
                    return Task.FromResult<JsonNode?>(null);
                default:
                    throw new TaskFailedException("DynamoDB.ValidationException", $"unexpected {action}");
            }
        }
    }

    private Task RecordEventsAsync(JsonNode? parameters, CancellationToken cancellationToken)
    {
        lock (Events) Events.AddRange(parameters!["Entries"]!.AsArray().Select(e => e!.DeepClone()));
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await Personalize.DisposeAsync();
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
