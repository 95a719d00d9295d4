using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using static Pipeline.Personalize.Local.Tests.LocalPersonalizeScenario;

namespace Pipeline.Personalize.Local.Tests.ControlPlane;

public sealed class DatasetGroupOperationsTests : IAsyncLifetime
{
    private readonly LocalPersonalizeScenario _scenario = Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Create_ReturnsThePersonalizeArn_AndDescribeShowsItActive()
    {
        var arn = await _scenario.DatasetGroupAsync("shop");

        Assert.Equal("arn:aws:personalize:us-east-1:000000000000:dataset-group/shop", arn);
        var group = (await _scenario.Call("DescribeDatasetGroup", new() { ["datasetGroupArn"] = arn }))["datasetGroup"]!;
        Assert.Equal("shop", group["name"]!.GetValue<string>());
        Assert.Equal("ACTIVE", group["status"]!.GetValue<string>());
        Assert.True(group["creationDateTime"]!.GetValue<double>() > 1_600_000_000);
    }

    [Fact]
    public async Task Create_WithATakenName_FailsWithResourceAlreadyExists()
    {
        await _scenario.DatasetGroupAsync("shop");

        await Fails(ErrorTypes.ResourceAlreadyExists, () => _scenario.Call("CreateDatasetGroup", new() { ["name"] = "shop" }));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"name": "has space"}""")]
    [InlineData("""{"name": 42}""")]
    [InlineData("""{"name": "ok", "domain": "RETAIL"}""")]
    public async Task Create_WithAMalformedRequest_FailsWithInvalidInput_AndCreatesNothing(string body)
    {
        await Fails(ErrorTypes.InvalidInput, () => _scenario.Call("CreateDatasetGroup", JsonNode.Parse(body)!.AsObject()));

        var list = await _scenario.Call("ListDatasetGroups");
        Assert.Empty(list["datasetGroups"]!.AsArray());
    }

    [Fact]
    public async Task Describe_OfAMissingArn_FailsWithResourceNotFound()
    {
        var error = await Fails(ErrorTypes.ResourceNotFound,
            () => _scenario.Call("DescribeDatasetGroup", new() { ["datasetGroupArn"] = _scenario.Arn("dataset-group/nope") }));
        Assert.Contains("dataset-group/nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_PagesWithMaxResultsAndNextToken()
    {
        foreach (var name in new[] { "a", "b", "c" }) await _scenario.DatasetGroupAsync(name);

        var first = await _scenario.Call("ListDatasetGroups", new() { ["maxResults"] = 2 });
        var second = await _scenario.Call("ListDatasetGroups", new() { ["maxResults"] = 2, ["nextToken"] = first["nextToken"]!.GetValue<string>() });

        Assert.Equal(["a", "b"], first["datasetGroups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()));
        Assert.Equal(["c"], second["datasetGroups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()));
        Assert.Null(second["nextToken"]);
        await Fails(ErrorTypes.InvalidNextToken, () => _scenario.Call("ListDatasetGroups", new() { ["nextToken"] = "garbage" }));
    }

    [Fact]
    public async Task Delete_WhileTheGroupHasADataset_FailsWithResourceInUse()
    {
        var group = await _scenario.DatasetGroupAsync();
        await _scenario.ImportAsync(group);

        await Fails(ErrorTypes.ResourceInUse, () => _scenario.Call("DeleteDatasetGroup", new() { ["datasetGroupArn"] = group }));

        Assert.Equal("ACTIVE", await _scenario.StatusAsync("DescribeDatasetGroup", "datasetGroup", "datasetGroupArn", group));
    }

    [Fact]
    public async Task Delete_OfAnEmptyGroup_RemovesIt()
    {
        var group = await _scenario.DatasetGroupAsync();

        await _scenario.Call("DeleteDatasetGroup", new() { ["datasetGroupArn"] = group });

        await Fails(ErrorTypes.ResourceNotFound, () => _scenario.Call("DescribeDatasetGroup", new() { ["datasetGroupArn"] = group }));
    }

    [Fact]
    public async Task Create_BeyondTheAccountLimit_FailsWithLimitExceeded()
    {
        await _scenario.RestartAsync(options => options with { MaxDatasetGroups = 1 });
        await _scenario.Call("CreateDatasetGroup", new() { ["name"] = "one" });

        await Fails(ErrorTypes.LimitExceeded, () => _scenario.Call("CreateDatasetGroup", new() { ["name"] = "two" }));
    }

    [Fact]
    public async Task AnUnknownOperation_FailsWithUnknownOperation()
    {
        await Fails(ErrorTypes.UnknownOperation, () => _scenario.Call("CreateBatchSegmentJob"));
    }
}
