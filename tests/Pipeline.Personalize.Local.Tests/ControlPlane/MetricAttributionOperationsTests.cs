using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using static Pipeline.Personalize.Local.Tests.LocalPersonalizeScenario;

namespace Pipeline.Personalize.Local.Tests.ControlPlane;

public sealed class MetricAttributionOperationsTests : IAsyncLifetime
{
    private readonly LocalPersonalizeScenario _scenario = Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    private Task<JsonObject> CreateAsync(string group, string name) => _scenario.Call("CreateMetricAttribution", new()
    {
        ["name"] = name, ["datasetGroupArn"] = group,
        ["metrics"] = new JsonArray(new JsonObject { ["eventType"] = "purchase", ["expression"] = "SUM(Items.PRICE)", ["metricName"] = "revenue" }),
        ["metricsOutputConfig"] = new JsonObject { ["roleArn"] = "arn:aws:iam::000000000000:role/personalize" },
    });

    [Fact]
    public async Task MetricAttribution_IsCreatedListedAndDeleted_AndKeepsTheGroupWhileItExists()
    {
        var group = await _scenario.DatasetGroupAsync();

        var arn = (await CreateAsync(group, "attribution"))["metricAttributionArn"]!.GetValue<string>();
        await _scenario.Service.WhenIdleAsync();

        Assert.Equal(_scenario.Arn("metric-attribution/attribution"), arn);
        var described = (await _scenario.Call("DescribeMetricAttribution", new() { ["metricAttributionArn"] = arn }))["metricAttribution"]!;
        Assert.Equal("ACTIVE", described["status"]!.GetValue<string>());
        Assert.Equal("arn:aws:iam::000000000000:role/personalize", described["metricsOutputConfig"]!["roleArn"]!.GetValue<string>());
        var listed = (await _scenario.Call("ListMetricAttributions", new() { ["datasetGroupArn"] = group }))["metricAttributions"]!.AsArray();
        Assert.Equal(arn, Assert.Single(listed)!["metricAttributionArn"]!.GetValue<string>());
        var inUse = await Fails(ErrorTypes.ResourceInUse, () => _scenario.Call("DeleteDatasetGroup", new() { ["datasetGroupArn"] = group }));
        Assert.Contains("metric attributions", inUse.Message, StringComparison.Ordinal);

        await _scenario.Call("DeleteMetricAttribution", new() { ["metricAttributionArn"] = arn });
        await _scenario.Service.WhenIdleAsync();

        await Fails(ErrorTypes.ResourceNotFound, () => _scenario.Call("DescribeMetricAttribution", new() { ["metricAttributionArn"] = arn }));
        await _scenario.Call("DeleteDatasetGroup", new() { ["datasetGroupArn"] = group });
    }

    [Fact]
    public async Task CreateMetricAttribution_ASecondOneForTheGroup_FailsWithResourceAlreadyExists()
    {
        var group = await _scenario.DatasetGroupAsync();
        await CreateAsync(group, "first");
        await _scenario.Service.WhenIdleAsync();

        await Fails(ErrorTypes.ResourceAlreadyExists, () => CreateAsync(group, "second"));
    }

    [Fact]
    public async Task CreateMetricAttribution_WithoutMetrics_FailsWithInvalidInput()
    {
        var group = await _scenario.DatasetGroupAsync();

        await Fails(ErrorTypes.InvalidInput, () => _scenario.Call("CreateMetricAttribution", new()
        {
            ["name"] = "a", ["datasetGroupArn"] = group, ["metrics"] = new JsonArray(),
            ["metricsOutputConfig"] = new JsonObject { ["roleArn"] = "arn:aws:iam::000000000000:role/personalize" },
        }));
    }
}
