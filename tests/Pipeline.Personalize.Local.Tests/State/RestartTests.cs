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
