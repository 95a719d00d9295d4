using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Lifecycle;
using static Pipeline.Personalize.Local.Tests.LocalPersonalizeScenario;

namespace Pipeline.Personalize.Local.Tests.State;

public sealed class RestartTests
{
    [Fact]
    public async Task Restart_KeepsResourcesAndTrainedModels()
    {
        await using var scenario = Create();
        var (group, _, version, campaign) = await scenario.TrainedCampaignAsync();
        var before = await scenario.RecommendAsync(campaign);

        await scenario.RestartAsync();

        Assert.Equal("ACTIVE", await scenario.StatusAsync("DescribeDatasetGroup", "datasetGroup", "datasetGroupArn", group));
        Assert.Equal("ACTIVE", await scenario.StatusAsync("DescribeSolutionVersion", "solutionVersion", "solutionVersionArn", version));
        Assert.Equal(before, await scenario.RecommendAsync(campaign));
        var metrics = (await scenario.Call("GetSolutionMetrics", new() { ["solutionVersionArn"] = version }))["metrics"]!.AsObject();
        Assert.Equal(8, metrics.Count);
    }

    [Fact]
    public async Task Restart_ReplaysPutEventsNewerThanTraining_SoRealTimeRecommendationsSurvive()
    {
        await using var scenario = Create();
        var group = await scenario.DatasetGroupAsync();
        await scenario.ImportAsync(group);
        var version = await scenario.VersionAsync(await scenario.SolutionAsync(group, "up", "arn:aws:personalize:::recipe/aws-user-personalization"));
        var campaign = await scenario.CampaignAsync(version);
        var trackingId = (await scenario.Call("CreateEventTracker", new() { ["name"] = "t", ["datasetGroupArn"] = group }))["trackingId"]!.GetValue<string>();
        async Task PutAsync(string user, long sentAt, params string[] items) => await scenario.Service.PutEventsAsync(new()
        {
            ["trackingId"] = trackingId, ["userId"] = user, ["sessionId"] = "s1",
            ["eventList"] = new JsonArray([.. items.Select(item => (JsonNode)new JsonObject { ["eventType"] = "click", ["itemId"] = item, ["sentAt"] = sentAt })]),
        });
        var liveBefore = await scenario.RecommendAsync(campaign, "user_00001");
        var trainedBefore = await scenario.RecommendAsync(campaign, "user_00002");
        // After the sample's training data (it ends 2025-06-01) ...
        await PutAsync("user_00001", 1_790_000_000, "item_00140", "item_00141", "item_00142");
        // ... and at a time the model counts as trained on (the service sees it live, a restart does not replay it).
        await PutAsync("user_00002", 1_700_000_000, "item_00140", "item_00141", "item_00142");
        var liveAfter = await scenario.RecommendAsync(campaign, "user_00001");
        Assert.NotEqual(liveBefore, liveAfter);

        await scenario.RestartAsync();

        Assert.Equal(liveAfter, await scenario.RecommendAsync(campaign, "user_00001"));
        Assert.Equal(trainedBefore, await scenario.RecommendAsync(campaign, "user_00002"));
    }

    [Fact]
    public async Task Restart_ResumesTrainingThatWasInterrupted()
    {
        await using var scenario = Create();
        var group = await scenario.DatasetGroupAsync();
        await scenario.ImportAsync(group);
        var solution = await scenario.SolutionAsync(group);
        await scenario.RestartAsync(options => options with { Lifecycle = LifecycleMode.Realistic, StepDelay = TimeSpan.FromMinutes(1) });
        var version = (await scenario.Call("CreateSolutionVersion", new() { ["solutionArn"] = solution }))["solutionVersionArn"]!.GetValue<string>();
        Assert.Equal("CREATE PENDING", await scenario.StatusAsync("DescribeSolutionVersion", "solutionVersion", "solutionVersionArn", version));

        // Stopped while the version is still CREATE PENDING; the next process picks the training up.
        await scenario.RestartAsync(options => options with { Lifecycle = LifecycleMode.Immediate });
        await scenario.Service.WhenIdleAsync();

        Assert.Equal("ACTIVE", await scenario.StatusAsync("DescribeSolutionVersion", "solutionVersion", "solutionVersionArn", version));
    }
}
