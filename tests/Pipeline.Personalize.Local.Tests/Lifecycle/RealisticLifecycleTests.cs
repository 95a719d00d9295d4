using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Lifecycle;
using static Pipeline.Personalize.Local.Tests.LocalPersonalizeScenario;

namespace Pipeline.Personalize.Local.Tests.Lifecycle;

public sealed class RealisticLifecycleTests
{
    [Fact]
    public async Task Create_ShowsCreatePending_ThenActiveOnceTheWorkIsDone()
    {
        await using var scenario = Create(LifecycleMode.Realistic, TimeSpan.FromMilliseconds(400));

        var arn = (await scenario.Call("CreateDatasetGroup", new() { ["name"] = "shop" }))["datasetGroupArn"]!.GetValue<string>();

        Assert.Equal("CREATE PENDING", await scenario.StatusAsync("DescribeDatasetGroup", "datasetGroup", "datasetGroupArn", arn));
        await scenario.Service.WhenIdleAsync();
        Assert.Equal("ACTIVE", await scenario.StatusAsync("DescribeDatasetGroup", "datasetGroup", "datasetGroupArn", arn));
    }

    [Fact]
    public async Task Training_PassesThroughCreateInProgress()
    {
        await using var scenario = Create(LifecycleMode.Realistic, TimeSpan.FromMilliseconds(300));
        var group = await scenario.DatasetGroupAsync();
        await scenario.ImportAsync(group);
        var solution = await scenario.SolutionAsync(group);

        var version = (await scenario.Call("CreateSolutionVersion", new() { ["solutionArn"] = solution }))["solutionVersionArn"]!.GetValue<string>();
        var seen = new List<string?>();
        while (seen.LastOrDefault() is not ("ACTIVE" or "CREATE FAILED"))
        {
            var status = await scenario.StatusAsync("DescribeSolutionVersion", "solutionVersion", "solutionVersionArn", version);
            if (seen.LastOrDefault() != status) seen.Add(status);
            await Task.Delay(20);
        }

        Assert.Equal(["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"], seen);
    }

    [Fact]
    public async Task CreateDataset_InAGroupThatIsNotActiveYet_FailsWithResourceInUse()
    {
        await using var scenario = Create(LifecycleMode.Realistic, TimeSpan.FromMilliseconds(400));
        var group = (await scenario.Call("CreateDatasetGroup", new() { ["name"] = "shop" }))["datasetGroupArn"]!.GetValue<string>();
        var schema = (await scenario.Call("CreateSchema", new() { ["name"] = "s", ["schema"] = await File.ReadAllTextAsync(Path.Combine(scenario.DataFolder, "interactions-schema.json")) }))["schemaArn"]!.GetValue<string>();

        await Fails(ErrorTypes.ResourceInUse, () => scenario.Call("CreateDataset", new()
        {
            ["name"] = "d", ["schemaArn"] = schema, ["datasetGroupArn"] = group, ["datasetType"] = "Interactions",
        }));
        await scenario.Service.WhenIdleAsync();
    }

    [Fact]
    public async Task Delete_ShowsDeletePending_ThenTheResourceIsGone()
    {
        await using var scenario = Create(LifecycleMode.Realistic, TimeSpan.FromMilliseconds(400));
        var group = await scenario.DatasetGroupAsync();

        await scenario.Call("DeleteDatasetGroup", new() { ["datasetGroupArn"] = group });

        Assert.Equal("DELETE PENDING", await scenario.StatusAsync("DescribeDatasetGroup", "datasetGroup", "datasetGroupArn", group));
        await scenario.Service.WhenIdleAsync();
        await Fails(ErrorTypes.ResourceNotFound, () => scenario.Call("DescribeDatasetGroup", new() { ["datasetGroupArn"] = group }));
    }
}
