using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using static Pipeline.Personalize.Local.Tests.LocalPersonalizeScenario;

namespace Pipeline.Personalize.Local.Tests.ControlPlane;

public sealed class RecommenderOperationsTests : IAsyncLifetime
{
    private const string Recipe = "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you";
    private readonly LocalPersonalizeScenario _scenario = Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    private async Task<string> DomainGroupAsync()
    {
        var arn = (await _scenario.Call("CreateDatasetGroup", new() { ["name"] = "shop", ["domain"] = "ECOMMERCE" }))["datasetGroupArn"]!.GetValue<string>();
        await _scenario.Service.WhenIdleAsync();
        return arn;
    }

    [Fact]
    public async Task Recommender_IsCreatedListedAndDeleted_AndKeepsTheGroupWhileItExists()
    {
        var group = await DomainGroupAsync();

        var arn = (await _scenario.Call("CreateRecommender", new() { ["name"] = "top-picks", ["datasetGroupArn"] = group, ["recipeArn"] = Recipe }))["recommenderArn"]!.GetValue<string>();
        await _scenario.Service.WhenIdleAsync();

        Assert.Equal(_scenario.Arn("recommender/top-picks"), arn);
        var described = (await _scenario.Call("DescribeRecommender", new() { ["recommenderArn"] = arn }))["recommender"]!;
        Assert.Equal(("ACTIVE", Recipe, group), (described["status"]!.GetValue<string>(), described["recipeArn"]!.GetValue<string>(), described["datasetGroupArn"]!.GetValue<string>()));
        var listed = (await _scenario.Call("ListRecommenders", new() { ["datasetGroupArn"] = group }))["recommenders"]!.AsArray();
        Assert.Equal(arn, Assert.Single(listed)!["recommenderArn"]!.GetValue<string>());
        var inUse = await Fails(ErrorTypes.ResourceInUse, () => _scenario.Call("DeleteDatasetGroup", new() { ["datasetGroupArn"] = group }));
        Assert.Contains("recommenders", inUse.Message, StringComparison.Ordinal);

        await _scenario.Call("DeleteRecommender", new() { ["recommenderArn"] = arn });
        await _scenario.Service.WhenIdleAsync();

        await Fails(ErrorTypes.ResourceNotFound, () => _scenario.Call("DescribeRecommender", new() { ["recommenderArn"] = arn }));
        await _scenario.Call("DeleteDatasetGroup", new() { ["datasetGroupArn"] = group });
    }

    [Fact]
    public async Task CreateRecommender_InAGroupWithoutADomain_FailsWithInvalidInput()
    {
        var group = await _scenario.DatasetGroupAsync();

        var error = await Fails(ErrorTypes.InvalidInput, () => _scenario.Call("CreateRecommender", new() { ["name"] = "r", ["datasetGroupArn"] = group, ["recipeArn"] = Recipe }));

        Assert.Contains("Domain dataset group", error.Message, StringComparison.Ordinal);
    }
}
