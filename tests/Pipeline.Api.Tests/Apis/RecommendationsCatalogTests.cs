using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Apis;

/// <summary>Where the catalog matters to serving: the similar-items seed, and unknown items named by a request.</summary>
public sealed class RecommendationsCatalogTests(SampleModels models) : IClassFixture<SampleModels>
{
    private static readonly Experiment AllOnSims = new(
        "default", ExperimentStatus.Running, [new Variant("sims-a", 0.5, Recipes.Sims), new Variant("sims-b", 0.5, Recipes.Sims)],
        Coverage: 1, Seed: "default", CreatedAt: DateTimeOffset.UnixEpoch);

    private async Task<ApiServer> StartAsync(bool withRanking = true)
    {
        var registry = models.Registry();
        registry.Publish(models.Similar);
        if (withRanking)
        {
            registry.Publish(models.Ranking);
        }
        var server = await ApiServer.StartAsync(registry, AllOnSims);
        await server.Services.GetRequiredService<IItemStore>().UpsertAsync([.. models.Items]);
        return server;
    }

    [Fact]
    public async Task Recommend_SimsWithoutItemOrEvents_SeedsFromTheTrainingHistory_AndIsServedByPrimary()
    {
        await using var server = await StartAsync();
        var seed = models.Ranking.MostRecentItem("user_00003");

        var body = await RecommendAsync(server, """{"user_id":"user_00003","num_results":5}""");

        Assert.NotNull(seed);
        Assert.True(ServedBy.Primary == body.GetProperty("served_by").GetString(), body.ToString());
        var expected = await models.Similar.RecommendAsync(new ModelQuery("user_00003", seed, 5));
        Assert.Equal(expected.Select(i => i.ItemId), Ids(body));
    }

    [Fact]
    public async Task Recommend_SimsSeed_PrefersTheUsersMostRecentLiveEvent()
    {
        await using var server = await StartAsync();
        var trainingSeed = models.Ranking.MostRecentItem("user_00004");
        var liveSeed = trainingSeed == "item_00050" ? "item_00051" : "item_00050";
        await server.Services.GetRequiredService<IEventStore>().AppendAsync(
            [new InteractionEvent("seed-1", "user_00004", liveSeed, "click", null, "s", null, DateTimeOffset.UtcNow)]);

        var body = await RecommendAsync(server, """{"user_id":"user_00004","num_results":5}""");

        Assert.Equal(ServedBy.Primary, body.GetProperty("served_by").GetString());
        var expected = await models.Similar.RecommendAsync(new ModelQuery("user_00004", liveSeed, 5));
        Assert.Equal(expected.Select(i => i.ItemId), Ids(body));
    }

    [Fact]
    public async Task Recommend_SimsForAUserNobodyKnows_FallsBackWithNoItem()
    {
        await using var server = await StartAsync();

        var body = await RecommendAsync(server, """{"user_id":"never-seen-user","num_results":5}""");

        Assert.Equal(ServedBy.Fallback(ServedBy.NoItem), body.GetProperty("served_by").GetString());
    }

    [Fact]
    public async Task Recommend_WithAnItemIdTheCatalogDoesNotKnow_Returns422NamingItemId()
    {
        await using var server = await StartAsync();

        var response = await server.Client.PostAsync("/recommendations",
            new StringContent("""{"user_id":"user_00003","item_id":"no-such-item"}""", Encoding.UTF8, "application/json"));
        var known = await RecommendAsync(server, """{"user_id":"user_00003","item_id":"item_00002","num_results":3}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("item_id", out _));
        Assert.Equal(ServedBy.Primary, known.GetProperty("served_by").GetString());
    }

    [Fact]
    public async Task RecordEvent_ForAnItemTheCatalogDoesNotKnowYet_IsAccepted()
    {
        await using var server = await StartAsync();

        var response = await server.Client.PostAsync("/events", new StringContent(
            """{"user_id":"user_00003","event_type":"view","item_id":"launched-today","session_id":"s"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static string[] Ids(JsonElement body) =>
        [.. body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item_id").GetString()!)];

    private static async Task<JsonElement> RecommendAsync(ApiServer server, string json)
    {
        var response = await server.Client.PostAsync("/recommendations", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
