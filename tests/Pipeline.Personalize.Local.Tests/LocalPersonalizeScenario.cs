using System.Text.Json.Nodes;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Recipes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Hosting;
using Pipeline.Personalize.Local.Lifecycle;

namespace Pipeline.Personalize.Local.Tests;

/// <summary>
/// A local Personalize on a temporary data directory with a generated dataset under its S3 root
/// (<c>s3://bucket/data/…</c>), and the steps every test needs to get to a trained campaign.
/// </summary>
public sealed class LocalPersonalizeScenario : IAsyncDisposable
{
    public const string PopularityRecipe = "arn:aws:personalize:::recipe/aws-popularity-count";

    private LocalPersonalizeScenario(string root, LocalPersonalizeOptions options)
    {
        Root = root;
        Options = options;
        Service = new LocalPersonalize(options);
    }

    private PersonalizeServer? _server;

    public string Root { get; }
    public LocalPersonalizeOptions Options { get; private set; }
    public LocalPersonalize Service { get; private set; }
    public string DataFolder => Path.Combine(Options.ResolvedS3Root, "bucket", "data");
    public string Arn(string resource) => $"arn:aws:personalize:us-east-1:000000000000:{resource}";

    public static LocalPersonalizeScenario Create(
        LifecycleMode mode = LifecycleMode.Immediate, TimeSpan? stepDelay = null, RecipeCatalog? recipes = null,
        int users = 200, int items = 150, int interactions = 3000)
    {
        var root = Path.Combine(Path.GetTempPath(), "pipeline-personalize-tests-" + Guid.NewGuid().ToString("N"));
        var options = new LocalPersonalizeOptions
        {
            DataDirectory = Path.Combine(root, "data"),
            S3Root = Path.Combine(root, "s3"),
            Lifecycle = mode,
            StepDelay = stepDelay ?? TimeSpan.FromMilliseconds(50),
            Recipes = recipes ?? RecipeCatalog.Default,
        };
        SyntheticDataGenerator.Generate(new SyntheticDataOptions(users, items, interactions, Seed: 7), Path.Combine(options.S3Root!, "bucket", "data"));
        return new LocalPersonalizeScenario(root, options);
    }

    public Task<JsonObject> Call(string operation, JsonObject? request = null) => Service.InvokeAsync(operation, request);

    public static async Task<PersonalizeException> Fails(string errorType, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<PersonalizeException>(action);
        Assert.Equal(errorType, error.ErrorType);
        return error;
    }

    public async Task<string> DatasetGroupAsync(string name = "shop")
    {
        var arn = (await Call("CreateDatasetGroup", new() { ["name"] = name }))["datasetGroupArn"]!.GetValue<string>();
        await Service.WhenIdleAsync();
        return arn;
    }

    /// <summary>Creates the schema and dataset of a type and imports the generated file into it.</summary>
    public async Task<string> ImportAsync(string groupArn, string datasetType = "Interactions", string? location = null)
    {
        var lower = datasetType.ToLowerInvariant();
        var group = Arns.Name(groupArn);
        var schemaArn = (await Call("CreateSchema", new()
        {
            ["name"] = $"{group}-{lower}",
            ["schema"] = await File.ReadAllTextAsync(Path.Combine(DataFolder, $"{lower}-schema.json")),
        }))["schemaArn"]!.GetValue<string>();
        var datasetArn = (await Call("CreateDataset", new()
        {
            ["name"] = $"{group}-{lower}", ["schemaArn"] = schemaArn, ["datasetGroupArn"] = groupArn, ["datasetType"] = datasetType,
        }))["datasetArn"]!.GetValue<string>();
        await Service.WhenIdleAsync();
        await Call("CreateDatasetImportJob", new()
        {
            ["jobName"] = $"{group}-{lower}-import",
            ["datasetArn"] = datasetArn,
            ["dataSource"] = new JsonObject { ["dataLocation"] = location ?? $"s3://bucket/data/{lower}.csv" },
            ["roleArn"] = "arn:aws:iam::000000000000:role/personalize",
        });
        await Service.WhenIdleAsync();
        return datasetArn;
    }

    public async Task<string> SolutionAsync(string groupArn, string name = "pop", string recipeArn = PopularityRecipe, string? eventType = null)
    {
        var request = new JsonObject { ["name"] = name, ["datasetGroupArn"] = groupArn, ["recipeArn"] = recipeArn };
        if (eventType is not null) request["eventType"] = eventType;
        var arn = (await Call("CreateSolution", request))["solutionArn"]!.GetValue<string>();
        await Service.WhenIdleAsync();
        return arn;
    }

    public async Task<string> VersionAsync(string solutionArn)
    {
        var arn = (await Call("CreateSolutionVersion", new() { ["solutionArn"] = solutionArn }))["solutionVersionArn"]!.GetValue<string>();
        await Service.WhenIdleAsync();
        return arn;
    }

    public async Task<string> CampaignAsync(string versionArn, string name = "main")
    {
        var arn = (await Call("CreateCampaign", new() { ["name"] = name, ["solutionVersionArn"] = versionArn }))["campaignArn"]!.GetValue<string>();
        await Service.WhenIdleAsync();
        return arn;
    }

    /// <summary>Dataset group, interactions, a popularity solution, its version and a campaign on it.</summary>
    public async Task<(string Group, string Solution, string Version, string Campaign)> TrainedCampaignAsync()
    {
        var group = await DatasetGroupAsync();
        await ImportAsync(group);
        var solution = await SolutionAsync(group);
        var version = await VersionAsync(solution);
        return (group, solution, version, await CampaignAsync(version));
    }

    public async Task<string?> StatusAsync(string describe, string member, string arnMember, string arn) =>
        (await Call(describe, new() { [arnMember] = arn }))[member]!["status"]?.GetValue<string>();

    public async Task<List<string>> RecommendAsync(string campaignArn, string userId = "user_00001", int numResults = 10)
    {
        var response = await Service.GetRecommendationsAsync(new() { ["campaignArn"] = campaignArn, ["userId"] = userId, ["numResults"] = numResults });
        return [.. response["itemList"]!.AsArray().Select(i => i!["itemId"]!.GetValue<string>())];
    }

    /// <summary>Stops the service and starts a new one on the same data directory, as a process restart would.</summary>
    public async Task RestartAsync(Func<LocalPersonalizeOptions, LocalPersonalizeOptions>? change = null)
    {
        await Service.DisposeAsync();
        Options = change?.Invoke(Options) ?? Options;
        Service = new LocalPersonalize(Options);
    }

    /// <summary>Moves the service behind a loopback HTTP port on the same data directory, as `pipeline personalize serve` runs it.</summary>
    public async Task<Uri> ServeOverHttpAsync()
    {
        await Service.DisposeAsync();
        _server = await PersonalizeServer.StartAsync(Options);
        Service = _server.Personalize;
        return _server.Endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        else
        {
            await Service.DisposeAsync();
        }
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
