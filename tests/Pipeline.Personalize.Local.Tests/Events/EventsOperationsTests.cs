using System.Text.Json.Nodes;
using Pipeline.Engine.Recipes;
using Pipeline.Personalize.Local.Errors;
using static Pipeline.Personalize.Local.Tests.LocalPersonalizeScenario;

namespace Pipeline.Personalize.Local.Tests.Events;

public sealed class EventsOperationsTests : IAsyncLifetime
{
    private LocalPersonalizeScenario _scenario = null!;
    private string _group = "";

    public async Task InitializeAsync()
    {
        _scenario = Create(recipes: new RecipeCatalog([new PopularityCountRecipe(), new LiveEventsRecipe()]));
        _group = await _scenario.DatasetGroupAsync();
        await _scenario.ImportAsync(_group);
    }

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    private async Task<string> TrackerAsync() =>
        (await _scenario.Call("CreateEventTracker", new() { ["name"] = "tracker", ["datasetGroupArn"] = _group }))["trackingId"]!.GetValue<string>();

    private static JsonObject Click(string itemId) => new() { ["eventType"] = "click", ["itemId"] = itemId, ["sentAt"] = 1_750_000_000 };

    [Fact]
    public async Task CreateEventTracker_GivesAUuidTrackingId_AndOnlyOnePerGroup()
    {
        var trackingId = await TrackerAsync();

        Assert.True(Guid.TryParse(trackingId, out _));
        await Fails(ErrorTypes.ResourceAlreadyExists, () => _scenario.Call("CreateEventTracker", new() { ["name"] = "second", ["datasetGroupArn"] = _group }));
        var dataset = (await _scenario.Call("DescribeDataset", new() { ["datasetArn"] = _scenario.Arn("dataset/shop/INTERACTIONS") }))["dataset"]!;
        Assert.Equal(trackingId, dataset["trackingId"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutEvents_ReachesARealTimeModelAtOnce()
    {
        var version = await _scenario.VersionAsync(await _scenario.SolutionAsync(_group, "live", "arn:aws:personalize:::recipe/" + LiveEventsRecipe.RecipeName));
        var campaign = await _scenario.CampaignAsync(version);
        var trackingId = await TrackerAsync();
        var before = await _scenario.RecommendAsync(campaign, "user_00001", 5);
        var unpopular = "item_00150";
        Assert.DoesNotContain(unpopular, before);

        await _scenario.Service.PutEventsAsync(new() { ["trackingId"] = trackingId, ["userId"] = "user_00001", ["sessionId"] = "s1", ["eventList"] = new JsonArray(Click(unpopular)) });

        Assert.Equal(unpopular, (await _scenario.RecommendAsync(campaign, "user_00001", 5))[0]);
    }

    [Fact]
    public async Task PutEvents_AppendsToTheInteractionsData_ForTheNextTraining()
    {
        var trackingId = await TrackerAsync();
        var file = Directory.GetFiles(Path.Combine(_scenario.Options.DataDirectory, "datasets")).Single(f => f.EndsWith("INTERACTIONS.csv", StringComparison.Ordinal));
        var rowsBefore = File.ReadAllLines(file).Length;

        await _scenario.Service.PutEventsAsync(new()
        {
            ["trackingId"] = trackingId, ["userId"] = "new-user", ["sessionId"] = "s1",
            ["eventList"] = new JsonArray(Click("item_00001"), Click("item_00002")),
        });

        var lines = File.ReadAllLines(file);
        Assert.Equal(rowsBefore + 2, lines.Length);
        Assert.Equal("new-user,item_00002,1750000000,click,", lines[^1]);
    }

    [Theory]
    [InlineData("""{"sessionId": "s", "eventList": []}""")]
    [InlineData("""{"sessionId": "s", "eventList": [{"itemId": "i", "sentAt": 1}]}""")]
    [InlineData("""{"sessionId": "s", "eventList": [{"eventType": "click", "itemId": "i"}]}""")]
    [InlineData("""{"eventList": [{"eventType": "click", "itemId": "i", "sentAt": 1}]}""")]
    public async Task PutEvents_WithAMalformedRequest_FailsWithInvalidInput(string body)
    {
        var request = JsonNode.Parse(body)!.AsObject();
        request["trackingId"] = await TrackerAsync();

        await Fails(ErrorTypes.InvalidInput, () => _scenario.Service.PutEventsAsync(request));
    }

    [Fact]
    public async Task PutEvents_WithAnUnknownTrackingId_FailsWithInvalidInput()
    {
        await Fails(ErrorTypes.InvalidInput, () => _scenario.Service.PutEventsAsync(new()
        {
            ["trackingId"] = Guid.NewGuid().ToString(), ["sessionId"] = "s", ["eventList"] = new JsonArray(Click("item_00001")),
        }));
    }

    [Fact]
    public async Task PutItems_AppendsRows_MappingCamelCasePropertiesToSchemaColumns()
    {
        var items = await _scenario.ImportAsync(_group, "Items");

        await _scenario.Service.PutItemsAsync(new()
        {
            ["datasetArn"] = items,
            ["items"] = new JsonArray(new JsonObject { ["itemId"] = "item_new", ["properties"] = """{"category": "cat_01", "price": 9.5, "creationTimestamp": 1700000000}""" }),
        });

        var file = Directory.GetFiles(Path.Combine(_scenario.Options.DataDirectory, "datasets")).Single(f => f.EndsWith("ITEMS.csv", StringComparison.Ordinal));
        Assert.Equal("item_new,cat_01,9.5,1700000000", File.ReadAllLines(file)[^1]);
        await Fails(ErrorTypes.InvalidInput, () => _scenario.Service.PutUsersAsync(new()
        {
            ["datasetArn"] = items, ["users"] = new JsonArray(new JsonObject { ["userId"] = "u" }),
        }));
    }
}
