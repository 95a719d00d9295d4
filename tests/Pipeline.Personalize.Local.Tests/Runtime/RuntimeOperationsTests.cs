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

        var ranked = response["personalizedRanking"]!.AsArray();
        Assert.Equal([top[0], top[1], top[2], "not-an-item"], ranked.Select(i => i!["itemId"]!.GetValue<string>()));
        // An item the model cannot score comes last without a score, as Personalize returns it.
        Assert.Null(ranked[3]!["score"]);
    }

    [Fact]
    public async Task GetPersonalizedRanking_OnAPersonalizedRankingCampaign_UsesTheRankingModel()
    {
        var solution = await _scenario.SolutionAsync(_scenario.Arn("dataset-group/shop"), "ranking", "arn:aws:personalize:::recipe/aws-personalized-ranking");
        var version = await _scenario.VersionAsync(solution);
        Assert.Equal("ACTIVE", await _scenario.StatusAsync("DescribeSolutionVersion", "solutionVersion", "solutionVersionArn", version));
        var campaign = await _scenario.CampaignAsync(version, "ranking");

        var response = await _scenario.Service.GetPersonalizedRankingAsync(new()
        {
            ["campaignArn"] = campaign, ["userId"] = "user_00001", ["inputList"] = new JsonArray("item_00001", "item_00002", "item_00003", "never-seen"),
        });

        var ranked = response["personalizedRanking"]!.AsArray();
        Assert.Equal(4, ranked.Count);
        Assert.Equal("never-seen", ranked[3]!["itemId"]!.GetValue<string>());
        Assert.NotNull(ranked[0]!["score"]);
    }

    [Fact]
    public async Task GetRecommendations_WithAFilter_LeavesOutWhatItExcludes()
    {
        var viewed = File.ReadLines(Path.Combine(_scenario.DataFolder, "interactions.csv")).Skip(1)
            .Select(l => l.Split(',')).Where(f => f[0] == "user_00001" && f[3] == "view").Select(f => f[1]).ToHashSet();
        var filter = (await _scenario.Call("CreateFilter", new()
        {
            ["name"] = "unseen", ["datasetGroupArn"] = _scenario.Arn("dataset-group/shop"),
            ["filterExpression"] = "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($TYPES)",
        }))["filterArn"]!.GetValue<string>();
        var unfiltered = await _scenario.RecommendAsync(_campaign, numResults: 25);
        Assert.Contains(unfiltered, viewed.Contains);

        var response = await _scenario.Service.GetRecommendationsAsync(new()
        {
            ["campaignArn"] = _campaign, ["userId"] = "user_00001", ["numResults"] = 25, ["filterArn"] = filter,
            ["filterValues"] = new JsonObject { ["TYPES"] = "\"view\"" },
        });

        var items = response["itemList"]!.AsArray().Select(i => i!["itemId"]!.GetValue<string>()).ToList();
        Assert.Equal(25, items.Count);
        Assert.DoesNotContain(items, viewed.Contains);
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
