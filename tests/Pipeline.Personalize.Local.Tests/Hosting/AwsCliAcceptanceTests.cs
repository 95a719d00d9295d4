using System.Text.Json.Nodes;
using Pipeline.Engine.Datasets;
using Pipeline.Personalize.Local.Hosting;
using Pipeline.Personalize.Local.Lifecycle;

namespace Pipeline.Personalize.Local.Tests.Hosting;

/// <summary>The real AWS CLI drives the whole Personalize flow against the local service on a loopback port.</summary>
public sealed class AwsCliAcceptanceTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pipeline-personalize-cli-" + Guid.NewGuid().ToString("N"));
    private PersonalizeServer _server = null!;
    private AwsCli _aws = null!;

    public async Task InitializeAsync()
    {
        var s3Root = Path.Combine(_root, "s3");
        SyntheticDataGenerator.Generate(new SyntheticDataOptions(Users: 200, Items: 150, Interactions: 3000, Seed: 11), Path.Combine(s3Root, "training-bucket", "shop"));
        _server = await PersonalizeServer.StartAsync(new LocalPersonalizeOptions
        {
            DataDirectory = Path.Combine(_root, "data"),
            S3Root = s3Root,
            Lifecycle = LifecycleMode.Realistic,
            StepDelay = TimeSpan.FromMilliseconds(20),
        });
        _aws = new AwsCli(_server.Endpoint);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task TheAwsCli_DrivesTheWholeFlow_FromDatasetGroupToEvents()
    {
        var group = (await _aws.Json("personalize", "create-dataset-group", "--name", "shop"))["datasetGroupArn"]!.GetValue<string>();
        Assert.Equal("arn:aws:personalize:us-east-1:000000000000:dataset-group/shop", group);
        Assert.Equal("ACTIVE", await _aws.WaitForStatus("personalize", "describe-dataset-group", "--dataset-group-arn", group, "datasetGroup"));

        var schemaFile = Path.Combine(_root, "s3", "training-bucket", "shop", DatasetFiles.InteractionsSchema);
        var schema = (await _aws.Json("personalize", "create-schema", "--name", "shop-interactions", "--schema", "file://" + schemaFile))["schemaArn"]!.GetValue<string>();
        var dataset = (await _aws.Json("personalize", "create-dataset", "--name", "shop-interactions", "--schema-arn", schema,
            "--dataset-group-arn", group, "--dataset-type", "Interactions"))["datasetArn"]!.GetValue<string>();
        Assert.Equal("ACTIVE", await _aws.WaitForStatus("personalize", "describe-dataset", "--dataset-arn", dataset, "dataset"));

        var import = (await _aws.Json("personalize", "create-dataset-import-job", "--job-name", "initial", "--dataset-arn", dataset,
            "--data-source", "dataLocation=s3://training-bucket/shop/interactions.csv", "--role-arn", "arn:aws:iam::000000000000:role/personalize"))["datasetImportJobArn"]!.GetValue<string>();
        Assert.Equal("ACTIVE", await _aws.WaitForStatus("personalize", "describe-dataset-import-job", "--dataset-import-job-arn", import, "datasetImportJob"));

        var solution = (await _aws.Json("personalize", "create-solution", "--name", "popular", "--dataset-group-arn", group,
            "--recipe-arn", "arn:aws:personalize:::recipe/aws-popularity-count"))["solutionArn"]!.GetValue<string>();
        Assert.Equal("ACTIVE", await _aws.WaitForStatus("personalize", "describe-solution", "--solution-arn", solution, "solution"));

        var version = (await _aws.Json("personalize", "create-solution-version", "--solution-arn", solution))["solutionVersionArn"]!.GetValue<string>();
        Assert.Equal("ACTIVE", await _aws.WaitForStatus("personalize", "describe-solution-version", "--solution-version-arn", version, "solutionVersion"));

        var metrics = (await _aws.Json("personalize", "get-solution-metrics", "--solution-version-arn", version))["metrics"]!.AsObject();
        Assert.Equal(
            ["coverage", "mean_reciprocal_rank_at_25", "normalized_discounted_cumulative_gain_at_10", "normalized_discounted_cumulative_gain_at_25",
             "normalized_discounted_cumulative_gain_at_5", "precision_at_10", "precision_at_25", "precision_at_5"],
            metrics.Select(m => m.Key).Order(StringComparer.Ordinal));

        var campaign = (await _aws.Json("personalize", "create-campaign", "--name", "home", "--solution-version-arn", version,
            "--min-provisioned-tps", "1", "--campaign-config", """{"itemExplorationConfig": {"explorationWeight": "0.3"}}"""))["campaignArn"]!.GetValue<string>();
        Assert.Equal("ACTIVE", await _aws.WaitForStatus("personalize", "describe-campaign", "--campaign-arn", campaign, "campaign"));

        var recommendations = await _aws.Json("personalize-runtime", "get-recommendations", "--campaign-arn", campaign, "--user-id", "user_00001", "--num-results", "10");
        var items = recommendations["itemList"]!.AsArray();
        Assert.Equal(10, items.Count);
        Assert.All(items, item =>
        {
            Assert.StartsWith("item_", item!["itemId"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.InRange(item["score"]!.GetValue<double>(), 0, 1);
        });
        Assert.StartsWith("RID-", recommendations["recommendationId"]!.GetValue<string>(), StringComparison.Ordinal);

        var tracker = await _aws.Json("personalize", "create-event-tracker", "--name", "web", "--dataset-group-arn", group);
        Assert.True(Guid.TryParse(tracker["trackingId"]!.GetValue<string>(), out _));
        Assert.Equal("ACTIVE", await _aws.WaitForStatus("personalize", "describe-event-tracker", "--event-tracker-arn", tracker["eventTrackerArn"]!.GetValue<string>(), "eventTracker"));
        var events = new JsonArray(
            new JsonObject { ["eventType"] = "click", ["itemId"] = items[0]!["itemId"]!.GetValue<string>(), ["sentAt"] = 1_750_000_000, ["recommendationId"] = recommendations["recommendationId"]!.GetValue<string>() },
            new JsonObject { ["eventType"] = "purchase", ["itemId"] = items[1]!["itemId"]!.GetValue<string>(), ["sentAt"] = 1_750_000_060, ["eventValue"] = 19.99 });
        var put = await _aws.Run("personalize-events", "put-events", "--tracking-id", tracker["trackingId"]!.GetValue<string>(),
            "--user-id", "user_00001", "--session-id", "session-1", "--event-list", events.ToJsonString());
        Assert.True(put.ExitCode == 0, put.Error);

        var interactions = Directory.GetFiles(Path.Combine(_root, "data", "datasets")).Single(f => f.EndsWith("INTERACTIONS.csv", StringComparison.Ordinal));
        Assert.EndsWith($"user_00001,{items[1]!["itemId"]!.GetValue<string>()},1750000060,purchase,19.99", File.ReadAllLines(interactions)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAwsCli_SeesPersonalizesErrorTypes()
    {
        var missing = await _aws.Run("personalize", "describe-campaign", "--campaign-arn", "arn:aws:personalize:us-east-1:000000000000:campaign/missing");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("(ResourceNotFoundException)", missing.Error, StringComparison.Ordinal);

        await _aws.Json("personalize", "create-dataset-group", "--name", "twice");
        var twice = await _aws.Run("personalize", "create-dataset-group", "--name", "twice");
        Assert.Contains("(ResourceAlreadyExistsException)", twice.Error, StringComparison.Ordinal);

        var runtime = await _aws.Run("personalize-runtime", "get-recommendations", "--campaign-arn", "arn:aws:personalize:us-east-1:000000000000:campaign/missing", "--user-id", "u");
        Assert.Contains("(ResourceNotFoundException)", runtime.Error, StringComparison.Ordinal);

        var events = await _aws.Run("personalize-events", "put-events", "--tracking-id", "unknown", "--session-id", "s",
            "--event-list", """[{"eventType": "click", "itemId": "i", "sentAt": 1750000000}]""");
        Assert.Contains("(InvalidInputException)", events.Error, StringComparison.Ordinal);
    }
}
