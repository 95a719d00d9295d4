using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Apis;

/// <summary>
/// <c>filter</c> / <c>filter_values</c> on POST /recommendations, over real Kestrel and SQLite with models the real
/// engine trained: whichever link of the fallback chain answers, no item the filter excludes is returned.
/// </summary>
public sealed class RecommendationsFilterTests(SampleModels models) : IClassFixture<SampleModels>
{
    private const string ExcludePurchased = """EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")""";
    private const string IncludeCategory = "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)";

    // One variant per recipe; each test forces the one it exercises.
    private static readonly Experiment EveryRecipe = new(
        "default", ExperimentStatus.Running,
        [
            new Variant("up", 0.34, Recipes.UserPersonalization),
            new Variant("sims", 0.33, Recipes.Sims),
            new Variant("pop", 0.33, Recipes.PopularityCount),
        ],
        Coverage: 1, Seed: "default", CreatedAt: DateTimeOffset.UnixEpoch);

    public static TheoryData<string, string?> Variants() => new()
    {
        { "up", null },
        { "sims", "item_00001" },
        { "pop", null },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Recommend_WithExcludePurchased_NeverReturnsAnItemTheUserPurchased(string variant, string? seed)
    {
        await using var server = await ApiServer.StartAsync(FullRegistry(), EveryRecipe);
        await CategorizeAsync(server); // a seed item_id must be in the catalog
        var user = $"filter-user-{variant}";
        var unfiltered = Ids(await RecommendAsync(server, variant, new { user_id = user, num_results = 10, item_id = seed }));
        var purchased = unfiltered.Take(3).ToArray();
        await PurchaseAsync(server, user, purchased);

        var body = await RecommendAsync(server, variant, new { user_id = user, num_results = 10, item_id = seed, filter = ExcludePurchased });

        Assert.Equal(ServedBy.Primary, body.GetProperty("served_by").GetString());
        var ids = Ids(body);
        Assert.NotEmpty(ids);
        Assert.Empty(ids.Intersect(purchased));
    }

    [Fact]
    public async Task Recommend_FromPopularityWithExcludePurchased_StillReturnsNumResults()
    {
        await using var server = await ApiServer.StartAsync(FullRegistry(), EveryRecipe);
        var top = Ids(await RecommendAsync(server, "pop", new { user_id = "buyer", num_results = 5 }));
        await PurchaseAsync(server, "buyer", top);

        var ids = Ids(await RecommendAsync(server, "pop", new { user_id = "buyer", num_results = 5, filter = ExcludePurchased }));

        Assert.Equal(5, ids.Length);
        Assert.Empty(ids.Intersect(top));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Recommend_WithIncludeCategory_ReturnsOnlyItemsOfThatCategory(string variant, string? seed)
    {
        await using var server = await ApiServer.StartAsync(FullRegistry(), EveryRecipe);
        var books = await CategorizeAsync(server);

        var body = await RecommendAsync(server, variant, new
        {
            user_id = "user_00001", num_results = 5, item_id = seed,
            filter = IncludeCategory, filter_values = new Dictionary<string, string> { ["CATEGORY"] = "\"books\"" },
        });

        Assert.Equal(ServedBy.Primary, body.GetProperty("served_by").GetString());
        var ids = Ids(body);
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Contains(id, books));
    }

    [Fact]
    public async Task Recommend_WhenTheVariantModelFails_FiltersTheFallbackToo()
    {
        var registry = models.Registry();
        registry.Publish(new FailingModel(Recipes.UserPersonalization));
        await using var server = await ApiServer.StartAsync(registry, EveryRecipe);
        var books = await CategorizeAsync(server);
        var top = Ids(await RecommendAsync(server, "up", new { user_id = "fallback-user", num_results = 5 }));
        await PurchaseAsync(server, "fallback-user", top.Take(2).ToArray());

        var body = await RecommendAsync(server, "up", new
        {
            user_id = "fallback-user", num_results = 5,
            filter = $"{IncludeCategory} | {ExcludePurchased}",
            filter_values = new Dictionary<string, string> { ["CATEGORY"] = "\"books\"" },
        });

        Assert.Equal(ServedBy.Fallback(ServedBy.ModelError), body.GetProperty("served_by").GetString());
        var ids = Ids(body);
        Assert.Equal(5, ids.Length);
        Assert.All(ids, id => Assert.Contains(id, books));
        Assert.Empty(ids.Intersect(top.Take(2)));
    }

    [Fact]
    public async Task Recommend_WhenEveryModelFails_FiltersTheLastGoodList()
    {
        var registry = models.Registry();
        await using var server = await ApiServer.StartAsync(registry, EveryRecipe);
        var books = await CategorizeAsync(server);
        var good = Ids(await RecommendAsync(server, "up", new { user_id = "last-good-user", num_results = 20 }));
        await PurchaseAsync(server, "last-good-user", good.Take(2).ToArray());
        registry.Publish(new FailingModel(Recipes.PopularityCount));
        registry.Publish(new FailingModel(Recipes.UserPersonalization));

        var excluded = await RecommendAsync(server, "up", new { user_id = "last-good-user", num_results = 20, filter = ExcludePurchased });
        var included = await RecommendAsync(server, "up", new
        {
            user_id = "last-good-user", num_results = 20,
            filter = IncludeCategory, filter_values = new Dictionary<string, string> { ["CATEGORY"] = "\"books\"" },
        });

        Assert.Equal(ServedBy.Fallback(ServedBy.LastGood), excluded.GetProperty("served_by").GetString());
        Assert.Equal(good.Skip(2), Ids(excluded));
        Assert.Equal(ServedBy.Fallback(ServedBy.LastGood), included.GetProperty("served_by").GetString());
        Assert.Equal(good.Where(books.Contains), Ids(included));
    }

    [Fact]
    public async Task Recommend_AFilteredFallbackList_NeverBecomesTheLastGoodList()
    {
        var registry = models.Registry();
        await using var server = await ApiServer.StartAsync(registry, EveryRecipe);
        await CategorizeAsync(server);
        var good = Ids(await RecommendAsync(server, "up", new { user_id = "user_00001", num_results = 10 }));
        var filtered = Ids(await RecommendAsync(server, "up", new
        {
            user_id = "user_00001", num_results = 10,
            filter = IncludeCategory, filter_values = new Dictionary<string, string> { ["CATEGORY"] = "\"books\"" },
        }));
        registry.Publish(new FailingModel(Recipes.PopularityCount));

        var body = await RecommendAsync(server, "up", new { user_id = "user_00001", num_results = 10 });

        Assert.NotEqual(good, filtered);
        Assert.Equal(ServedBy.Fallback(ServedBy.LastGood), body.GetProperty("served_by").GetString());
        Assert.Equal(good, Ids(body));
    }

    [Fact]
    public async Task Recommend_WithContext_IsAcceptedAndServed()
    {
        await using var server = await ApiServer.StartAsync(FullRegistry(), EveryRecipe);

        var body = await RecommendAsync(server, "pop", new { user_id = "user_00001", num_results = 3, context = new { DEVICE = "mobile" } });

        Assert.Equal(3, Ids(body).Length);
    }

    [Fact]
    public async Task Recommend_WithEnrich_AddsCategoryAndPriceFromTheCatalog_AndWithoutItLeavesThemOut()
    {
        await using var server = await ApiServer.StartAsync(FullRegistry(), EveryRecipe);
        var books = await CategorizeAsync(server);
        var prices = models.Items.ToDictionary(i => i.ItemId, i => i.Price);

        var enriched = await RecommendAsync(server, "pop", new { user_id = "user_00001", num_results = 5, enrich = true });
        var plain = await RecommendAsync(server, "pop", new { user_id = "user_00001", num_results = 5 });

        foreach (var item in enriched.GetProperty("items").EnumerateArray())
        {
            var id = item.GetProperty("item_id").GetString()!;
            Assert.Equal(books.Contains(id) ? "books" : "other", item.GetProperty("category").GetString());
            Assert.Equal(prices[id], item.TryGetProperty("price", out var price) ? price.GetDouble() : null);
        }
        Assert.All(plain.GetProperty("items").EnumerateArray(), item => Assert.False(item.TryGetProperty("category", out _)));
    }

    public static TheoryData<string, string> InvalidBodies() => new()
    {
        { """{"user_id":"u","filter":"EXCLUDE ItemID WHERE"}""", "filter" },
        { """{"user_id":"u","filter":""}""", "filter" },
        { """{"user_id":"u","filter_values":{"X":"\"a\""}}""", "filter_values" },
        { """{"user_id":"u","filter":"INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)"}""", "filter_values.CATEGORY" },
        { """{"user_id":"u","filter":"INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)","filter_values":{"CATEGORY":"\"books"}}""", "filter_values.CATEGORY" },
        { """{"user_id":"u","filter":"INCLUDE ItemID WHERE Items.PRICE < $MAX","filter_values":{"MAX":"\"cheap\""}}""", "filter_values" },
        { """{"user_id":"u","filter":"INCLUDE ItemID WHERE Items.CATEGORY IN (CurrentItem.CATEGORY)"}""", "item_id" },
        { """{"user_id":"u","context":{"DEVICE":null}}""", "context.DEVICE" },
        { """{"user_id":"u","filter":5}""", "filter" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Recommend_WhenFilterInputInvalid_Returns400NamingTheField_AndLogsNoExposure(string json, string field)
    {
        await using var server = await ApiServer.StartAsync(FullRegistry(), EveryRecipe);

        var response = await server.Client.PostAsync("/recommendations", new StringContent(json, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsValidationProblem(response, field);
        Assert.Null(await server.Services.GetRequiredService<IAssignmentStore>().GetAsync(EveryRecipe.StickyKey(), "u"));
    }

    [Fact]
    public async Task Recommend_WithAMalformedFilter_NamesThePositionOfTheError()
    {
        await using var server = await ApiServer.StartAsync(FullRegistry(), EveryRecipe);

        var response = await server.Client.PostAsJsonAsync("/recommendations", new { user_id = "u", filter = "EXCLUDE ItemID WHERE Items.CATEGORY IN" });

        await response.Content.LoadIntoBufferAsync();
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        await ProblemAssert.IsValidationProblem(response, "filter");
        Assert.Contains("position 38", problem.GetProperty("errors").GetProperty("filter")[0].GetString());
    }

    [Fact]
    public async Task OpenApi_DescribesFilterFilterValuesAndContextOfTheRecommendationsBody()
    {
        await using var server = await ApiServer.StartAsync(FullRegistry(), EveryRecipe);

        var document = await server.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var properties = document.GetProperty("components").GetProperty("schemas")
            .GetProperty("RecommendationRequestBody").GetProperty("properties");
        foreach (var field in new[] { "user_id", "num_results", "item_id", "context", "filter", "filter_values" })
        {
            Assert.True(properties.TryGetProperty(field, out _), $"the schema should describe '{field}': {properties}");
        }
    }

    private ModelRegistry FullRegistry()
    {
        var registry = models.Registry();
        registry.Publish(models.UserPersonalization);
        registry.Publish(models.Similar);
        return registry;
    }

    // Every third item of the sample is a book; the catalog gets the rest as "other".
    private async Task<HashSet<string>> CategorizeAsync(ApiServer server)
    {
        var items = models.Items.Select((item, i) => item with { Category = i % 3 == 0 ? "books" : "other" }).ToArray();
        await server.Services.GetRequiredService<IItemStore>().UpsertAsync(items);
        return items.Where(i => i.Category == "books").Select(i => i.ItemId).ToHashSet(StringComparer.Ordinal);
    }

    private static async Task PurchaseAsync(ApiServer server, string user, IReadOnlyList<string> itemIds)
    {
        var events = itemIds.Select(item => new { user_id = user, event_type = "purchase", item_id = item, session_id = "s-filter" }).ToArray();
        var accepted = await server.Client.PostAsJsonAsync("/events", new { events });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    private static async Task<JsonElement> RecommendAsync(ApiServer server, string variant, object body)
    {
        var response = await server.Client.PostAsJsonAsync($"/recommendations?force_variant={variant}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string[] Ids(JsonElement body) =>
        [.. body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item_id").GetString()!)];

    /// <summary>Fault injection: a model that throws, which the real engine cannot be made to do on demand.</summary>
    private sealed class FailingModel(string recipe) : IRecommendationModel
    {
        public string Recipe => recipe;

        public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException($"{recipe} is down");
    }
}
