using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using static Pipeline.Personalize.Local.Tests.LocalPersonalizeScenario;

namespace Pipeline.Personalize.Local.Tests.Runtime;

public sealed class RuntimeOperationsTests : IAsyncLifetime
{
    private LocalPersonalizeScenario _scenario = null!;
    private string _campaign = "";

    public async Task InitializeAsync()
    {
        _scenario = Create();
        _campaign = (await _scenario.TrainedCampaignAsync()).Campaign;
    }

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task GetRecommendations_ReturnsScoredItems_AndARecommendationId()
    {
        var response = await _scenario.Service.GetRecommendationsAsync(new() { ["campaignArn"] = _campaign, ["userId"] = "user_00001", ["numResults"] = 5 });

        var items = response["itemList"]!.AsArray();
        Assert.Equal(5, items.Count);
        Assert.All(items, i => Assert.StartsWith("item_", i!["itemId"]!.GetValue<string>(), StringComparison.Ordinal));
        var scores = items.Select(i => i!["score"]!.GetValue<double>()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.StartsWith("RID-", response["recommendationId"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRecommendations_WithoutNumResults_Returns25()
    {
        var response = await _scenario.Service.GetRecommendationsAsync(new() { ["campaignArn"] = _campaign, ["userId"] = "user_00001" });

        Assert.Equal(25, response["itemList"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("""{"userId": "user_00001", "numResults": 501}""")]
    [InlineData("""{"numResults": 5}""")]
    [InlineData("""{"userId": "user_00001", "filterArn": "not-an-arn"}""")]
    public async Task GetRecommendations_WithAMalformedRequest_FailsWithInvalidInput(string body)
    {
        var request = JsonNode.Parse(body)!.AsObject();
        request["campaignArn"] = _campaign;

        await Fails(ErrorTypes.InvalidInput, () => _scenario.Service.GetRecommendationsAsync(request));
    }

    [Fact]
    public async Task GetRecommendations_FromAMissingCampaign_FailsWithResourceNotFound()
    {
        await Fails(ErrorTypes.ResourceNotFound, () => _scenario.Service.GetRecommendationsAsync(new() { ["campaignArn"] = _scenario.Arn("campaign/none"), ["userId"] = "u" }));
    }

    [Fact]
    public async Task GetRecommendations_WithAMissingFilter_FailsWithResourceNotFound()
    {
        await Fails(ErrorTypes.ResourceNotFound, () => _scenario.Service.GetRecommendationsAsync(new()
        {
            ["campaignArn"] = _campaign, ["userId"] = "user_00001", ["filterArn"] = _scenario.Arn("filter/none"),
        }));
    }

    [Fact]
    public async Task GetPersonalizedRanking_OrdersTheGivenItemsByScore_UnknownItemsLast()
    {
        var top = await _scenario.RecommendAsync(_campaign, numResults: 3);
        var input = new JsonArray("not-an-item", top[2], top[0], top[1]);

        var response = await _scenario.Service.GetPersonalizedRankingAsync(new() { ["campaignArn"] = _campaign, ["userId"] = "user_00001", ["inputList"] = input });

        var ranked = response["personalizedRanking"]!.AsArray().Select(i => i!["itemId"]!.GetValue<string>()).ToList();
        Assert.Equal([top[0], top[1], top[2], "not-an-item"], ranked);
    }

    [Fact]
    public async Task CreateFilter_StoresTheExpression_AndRejectsOneThatIsNoFilter()
    {
        var group = _scenario.Arn("dataset-group/shop");
        var arn = (await _scenario.Call("CreateFilter", new()
        {
            ["name"] = "no-purchased", ["datasetGroupArn"] = group, ["filterExpression"] = "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")",
        }))["filterArn"]!.GetValue<string>();

        var filter = (await _scenario.Call("DescribeFilter", new() { ["filterArn"] = arn }))["filter"]!;
        Assert.Equal("ACTIVE", filter["status"]!.GetValue<string>());
        Assert.Contains("EVENT_TYPE", filter["filterExpression"]!.GetValue<string>(), StringComparison.Ordinal);
        await Fails(ErrorTypes.InvalidInput, () => _scenario.Call("CreateFilter", new() { ["name"] = "bad", ["datasetGroupArn"] = group, ["filterExpression"] = "SELECT *" }));
    }
}
