using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Apis;

public sealed class RankingsApiTests(SampleModels models) : IClassFixture<SampleModels>
{
    private static readonly string[] Candidates = ["item_00007", "item_00001", "brand-new-item", "item_00042", "item_00013"];

    private ModelRegistry WithRanking()
    {
        var registry = models.Registry();
        registry.Publish(models.Ranking);
        return registry;
    }

    [Fact]
    public async Task Rank_WithoutExperiment_OrdersByThePersonalizedRankingModel_UnknownItemsLastWithoutScore()
    {
        await using var server = await ApiServer.StartAsync(WithRanking());

        var body = await RankAsync(server, "user_00001", Candidates);

        Assert.Equal(Recipes.PersonalizedRanking, body.GetProperty("recipe").GetString());
        Assert.Equal(ServedBy.Primary, body.GetProperty("served_by").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("experiment").ValueKind);
        var expected = await models.Ranking.RankAsync("user_00001", Candidates);
        Assert.Equal(expected.Select(i => i.ItemId), Ids(body));
        var last = body.GetProperty("items")[Candidates.Length - 1];
        Assert.Equal("brand-new-item", last.GetProperty("item_id").GetString());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("score").ValueKind);
        var scores = body.GetProperty("items").EnumerateArray().Take(Candidates.Length - 1).Select(i => i.GetProperty("score").GetDouble()).ToArray();
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Fact]
    public async Task Rank_WhenNoRankingModelIsTrained_FallsBackToPopularityOrder()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());

        var body = await RankAsync(server, "user_00001", Candidates);

        Assert.Equal(ServedBy.Fallback(ServedBy.NotTrained), body.GetProperty("served_by").GetString());
        var byPopularity = await ((IRankingModel)models.Popularity).RankAsync("user_00001", Candidates);
        Assert.Equal(byPopularity.Select(i => i.ItemId), Ids(body));
        Assert.Equal("brand-new-item", Ids(body)[^1]);
    }

    [Fact]
    public async Task Rank_WhenNoModelCanRank_KeepsTheGivenOrderWithoutScores()
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());

        var body = await RankAsync(server, "user_00001", Candidates);

        Assert.Equal(ServedBy.Fallback(ServedBy.NotTrained), body.GetProperty("served_by").GetString());
        Assert.Equal(Candidates, Ids(body));
        Assert.All(body.GetProperty("items").EnumerateArray(), i => Assert.Equal(JsonValueKind.Null, i.GetProperty("score").ValueKind));
    }

    [Fact]
    public async Task Rank_WhenTheRankingModelThrows_AnswersFromPopularity()
    {
        var registry = models.Registry();
        registry.Publish(new FailingRankingModel());
        await using var server = await ApiServer.StartAsync(registry);

        var body = await RankAsync(server, "user_00001", Candidates);

        Assert.Equal(ServedBy.Fallback(ServedBy.ModelError), body.GetProperty("served_by").GetString());
        Assert.Equal(Candidates.Length, body.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Rank_WhenTheRankingModelIsSlowerThanTheBudget_AnswersFromPopularityWithinSeconds()
    {
        var registry = models.Registry();
        registry.Publish(new SlowRankingModel(TimeSpan.FromSeconds(10)));
        await using var server = await ApiServer.StartAsync(registry);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var body = await RankAsync(server, "user_00001", Candidates);
        watch.Stop();

        Assert.Equal(ServedBy.Fallback(ServedBy.Timeout), body.GetProperty("served_by").GetString());
        Assert.Equal(Candidates.Length, body.GetProperty("items").GetArrayLength());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"answered after {watch.Elapsed}, the model would take 10 s");
    }

    [Fact]
    public async Task Rank_InTheRankingExperiment_AssignsAStickyVariant_AndLogsTheExposure()
    {
        var experiment = new Experiment("rankings", ExperimentStatus.Running,
            [new Variant("ranking", 0.5, Recipes.PersonalizedRanking), new Variant("popular", 0.5, Recipes.PopularityCount)],
            Coverage: 1, Seed: "rankings", CreatedAt: DateTimeOffset.UnixEpoch);
        await using var server = await ApiServer.StartAsync(WithRanking(), experiment);

        var first = await RankAsync(server, "user_00005", Candidates);
        var second = await RankAsync(server, "user_00005", Candidates);

        Assert.Equal("rankings", first.GetProperty("experiment").GetString());
        var variant = first.GetProperty("variant").GetString();
        Assert.Equal(variant, second.GetProperty("variant").GetString());
        Assert.Equal(variant == "ranking" ? Recipes.PersonalizedRanking : Recipes.PopularityCount, first.GetProperty("recipe").GetString());
        Assert.Equal(ServedBy.Primary, first.GetProperty("served_by").GetString());
        var exposure = await server.Services.GetRequiredService<IExposureStore>().GetAsync(first.GetProperty("recommendation_id").GetString()!);
        Assert.Equal(variant, exposure?.VariantKey);
        Assert.Equal(Ids(first), exposure?.ItemIds);
    }

    [Fact]
    public async Task Rank_WithAForcedVariant_ServesItWithoutLoggingAnExposure()
    {
        var experiment = new Experiment("rankings", ExperimentStatus.Running,
            [new Variant("ranking", 0.5, Recipes.PersonalizedRanking), new Variant("popular", 0.5, Recipes.PopularityCount)],
            Coverage: 1, Seed: "rankings", CreatedAt: DateTimeOffset.UnixEpoch);
        await using var server = await ApiServer.StartAsync(WithRanking(), experiment);

        var response = await server.Client.PostAsJsonAsync("/rankings?force_variant=popular", new { user_id = "user_00009", item_ids = Candidates });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("popular", body.GetProperty("variant").GetString());
        Assert.Equal(Recipes.PopularityCount, body.GetProperty("recipe").GetString());
        Assert.Null(await server.Services.GetRequiredService<IExposureStore>().GetAsync(body.GetProperty("recommendation_id").GetString()!));
        Assert.Null(await server.Services.GetRequiredService<IAssignmentStore>().GetAsync(experiment.StickyKey(), "user_00009"));
    }

    [Fact]
    public async Task Rank_WithAFilter_DropsTheItemsItExcludes()
    {
        await using var server = await ApiServer.StartAsync(WithRanking());
        await server.Services.GetRequiredService<IItemStore>().UpsertAsync(
        [
            new Item("item_00007", "books", 10, null), new Item("item_00001", "games", 20, null),
            new Item("item_00042", "books", 5, null), new Item("item_00013", "music", 1, null),
        ]);

        var body = await PostAsync(server, new
        {
            user_id = "user_00001",
            item_ids = Candidates,
            filter = "EXCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORIES)",
            filter_values = new Dictionary<string, string> { ["CATEGORIES"] = "\"books\"" },
        });

        Assert.Equal(HttpStatusCode.OK, body.StatusCode);
        var ids = Ids(await body.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(["brand-new-item", "item_00001", "item_00013"], ids.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string> InvalidBodies() => new()
    {
        { """{"user_id":"u","item_ids":[]}""", "item_ids" },
        { $$"""{"user_id":"u","item_ids":[{{string.Join(",", Enumerable.Range(0, 501).Select(i => $"\"i{i}\""))}}]}""", "item_ids" },
        { """{"item_ids":["a"]}""", "user_id" },
        { """{"user_id":"u","item_ids":["a",null]}""", "item_ids[1]" },
        { """{"user_id":"u","item_ids":["a"],"filter":"EXCLUDE ItemID WHERE"}""", "filter" },
        { """{"user_id":"u","item_ids":["a"],"filter_values":{"X":"\"a\""}}""", "filter_values" },
        { """{"user_id":"u","item_ids":["a"],"filter":"INCLUDE ItemID WHERE Items.CATEGORY IN ($C)"}""", "filter_values" },
        { """{"user_id":"u","item_ids":"a"}""", "item_ids" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Rank_WhenInputInvalid_Returns400NamingTheField(string json, string field)
    {
        await using var server = await ApiServer.StartAsync(WithRanking());

        var response = await server.Client.PostAsync("/rankings", new StringContent(json, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsValidationProblem(response, field);
    }

    private static string[] Ids(JsonElement body) =>
        [.. body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item_id").GetString()!)];

    private static async Task<JsonElement> RankAsync(ApiServer server, string userId, string[] itemIds)
    {
        var response = await PostAsync(server, new { user_id = userId, item_ids = itemIds });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<HttpResponseMessage> PostAsync(ApiServer server, object body) => server.Client.PostAsJsonAsync("/rankings", body);

    /// <summary>A ranking model that fails on every call: the fault injected, since the real one does not fail on demand.</summary>
    private sealed class FailingRankingModel : IRankingModel
    {
        public string Recipe => Recipes.PersonalizedRanking;

        public ValueTask<IReadOnlyList<RankedItem>> RankAsync(string userId, IReadOnlyList<string> itemIds, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("ranking model crashed");

        public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("ranking model crashed");
    }

    /// <summary>A ranking model slower than any budget: the fault injected.</summary>
    private sealed class SlowRankingModel(TimeSpan delay) : IRankingModel
    {
        public string Recipe => Recipes.PersonalizedRanking;

        public async ValueTask<IReadOnlyList<RankedItem>> RankAsync(string userId, IReadOnlyList<string> itemIds, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            return [.. itemIds.Select(id => new RankedItem(id, 1))];
        }

        public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
