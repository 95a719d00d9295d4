using System.Text.Json.Nodes;
using Pipeline.Engine.Datasets;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Lifecycle;
using static Pipeline.Personalize.Local.Tests.LocalPersonalizeScenario;

namespace Pipeline.Personalize.Local.Tests.ControlPlane;

public sealed class CampaignOperationsTests
{
    [Fact]
    public async Task CreateCampaign_KeepsTheConfigItWasGiven()
    {
        await using var scenario = Create();
        var (_, _, version, _) = await scenario.TrainedCampaignAsync();

        var arn = (await scenario.Call("CreateCampaign", new()
        {
            ["name"] = "explore", ["solutionVersionArn"] = version, ["minProvisionedTPS"] = 5,
            ["campaignConfig"] = new JsonObject { ["itemExplorationConfig"] = new JsonObject { ["explorationWeight"] = "0.3", ["explorationItemAgeCutOff"] = "7" } },
        }))["campaignArn"]!.GetValue<string>();

        var campaign = (await scenario.Call("DescribeCampaign", new() { ["campaignArn"] = arn }))["campaign"]!;
        Assert.Equal(5, campaign["minProvisionedTPS"]!.GetValue<int>());
        Assert.Equal("0.3", campaign["campaignConfig"]!["itemExplorationConfig"]!["explorationWeight"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateCampaign_OnAFailedVersion_FailsWithResourceInUse()
    {
        await using var scenario = Create();
        var group = await scenario.DatasetGroupAsync();
        var failed = await scenario.VersionAsync(await scenario.SolutionAsync(group));

        await Fails(ErrorTypes.ResourceInUse, () => scenario.Call("CreateCampaign", new() { ["name"] = "c", ["solutionVersionArn"] = failed }));
    }

    [Fact]
    public async Task UpdateCampaign_BeforeTheCampaignIsActive_FailsWithResourceInUse()
    {
        await using var scenario = Create(LifecycleMode.Realistic, TimeSpan.FromMilliseconds(300));
        var (_, _, version, _) = await scenario.TrainedCampaignAsync();
        var pending = (await scenario.Call("CreateCampaign", new() { ["name"] = "late", ["solutionVersionArn"] = version }))["campaignArn"]!.GetValue<string>();

        await Fails(ErrorTypes.ResourceInUse, () => scenario.Call("UpdateCampaign", new() { ["campaignArn"] = pending, ["solutionVersionArn"] = version }));
        await scenario.Service.WhenIdleAsync();
    }

    [Fact]
    public async Task UpdateCampaign_ServesTheOldVersionUntilTheUpdateIsActive()
    {
        await using var scenario = Create(LifecycleMode.Realistic, TimeSpan.FromMilliseconds(300));
        var (_, solution, oldVersion, campaign) = await scenario.TrainedCampaignAsync();
        // Retrained on other interactions, the solution's next version ranks items differently.
        SyntheticDataGenerator.Generate(new SyntheticDataOptions(200, 150, 3000, Seed: 99), Path.Combine(scenario.Options.S3Root!, "bucket", "later"));
        await scenario.Call("CreateDatasetImportJob", new()
        {
            ["jobName"] = "later", ["datasetArn"] = scenario.Arn("dataset/shop/INTERACTIONS"),
            ["dataSource"] = new JsonObject { ["dataLocation"] = "s3://bucket/later/interactions.csv" },
        });
        await scenario.Service.WhenIdleAsync();
        var newVersion = await scenario.VersionAsync(solution);
        var before = await scenario.RecommendAsync(campaign);

        await scenario.Call("UpdateCampaign", new() { ["campaignArn"] = campaign, ["solutionVersionArn"] = newVersion });

        var during = (await scenario.Call("DescribeCampaign", new() { ["campaignArn"] = campaign }))["campaign"]!;
        Assert.Equal(oldVersion, during["solutionVersionArn"]!.GetValue<string>());
        Assert.Equal("CREATE PENDING", during["latestCampaignUpdate"]!["status"]!.GetValue<string>());
        Assert.Equal(newVersion, during["latestCampaignUpdate"]!["solutionVersionArn"]!.GetValue<string>());
        Assert.Equal(before, await scenario.RecommendAsync(campaign));

        await scenario.Service.WhenIdleAsync();

        var after = (await scenario.Call("DescribeCampaign", new() { ["campaignArn"] = campaign }))["campaign"]!;
        Assert.Equal(newVersion, after["solutionVersionArn"]!.GetValue<string>());
        Assert.Equal("ACTIVE", after["latestCampaignUpdate"]!["status"]!.GetValue<string>());
        Assert.NotEqual(before, await scenario.RecommendAsync(campaign));
    }

    [Fact]
    public async Task DeleteSolution_WhileACampaignUsesIt_FailsWithResourceInUse_AndWorksOnceTheCampaignIsGone()
    {
        await using var scenario = Create();
        var (_, solution, _, campaign) = await scenario.TrainedCampaignAsync();

        await Fails(ErrorTypes.ResourceInUse, () => scenario.Call("DeleteSolution", new() { ["solutionArn"] = solution }));

        await scenario.Call("DeleteCampaign", new() { ["campaignArn"] = campaign });
        await scenario.Call("DeleteSolution", new() { ["solutionArn"] = solution });
        await Fails(ErrorTypes.ResourceNotFound, () => scenario.Call("DescribeSolution", new() { ["solutionArn"] = solution }));
    }

    [Fact]
    public async Task ListCampaigns_BySolution_ShowsItsCampaigns()
    {
        await using var scenario = Create();
        var (_, solution, _, campaign) = await scenario.TrainedCampaignAsync();

        var campaigns = (await scenario.Call("ListCampaigns", new() { ["solutionArn"] = solution }))["campaigns"]!.AsArray();

        Assert.Equal(campaign, Assert.Single(campaigns)!["campaignArn"]!.GetValue<string>());
    }
}
