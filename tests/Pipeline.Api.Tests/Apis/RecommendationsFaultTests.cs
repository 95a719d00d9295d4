using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Apis;

/// <summary>The variant's model misbehaving: the client still gets 200 with items, from a fallback, within the budget.</summary>
public sealed class RecommendationsFaultTests(SampleModels models) : IClassFixture<SampleModels>
{
    private static readonly Experiment AllOnUserPersonalization = new(
        "default", ExperimentStatus.Running,
        [new Variant("up-1", 0.5, Recipes.UserPersonalization), new Variant("up-2", 0.5, Recipes.UserPersonalization)],
        Coverage: 1, Seed: "default", CreatedAt: DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Recommend_WhenVariantModelIsSlowerThanTheBudget_AnswersFromPopularityBeforeTheModelFinishes()
    {
        var registry = models.Registry();
        registry.Publish(new MisbehavingModel(Recipes.UserPersonalization, delay: TimeSpan.FromSeconds(10)));
        await using var server = await ApiServer.StartAsync(registry, AllOnUserPersonalization);

        var watch = Stopwatch.StartNew();
        var body = await RecommendAsync(server);
        watch.Stop();

        Assert.Equal(ServedBy.Fallback(ServedBy.Timeout), body.GetProperty("served_by").GetString());
        Assert.Equal(5, body.GetProperty("items").GetArrayLength());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"answered after {watch.Elapsed}, the model would take 10 s");
    }

    [Fact]
    public async Task Recommend_WhenVariantModelThrows_AnswersFromPopularity()
    {
        var registry = models.Registry();
        registry.Publish(new MisbehavingModel(Recipes.UserPersonalization, error: new InvalidOperationException("model crashed")));
        await using var server = await ApiServer.StartAsync(registry, AllOnUserPersonalization);

        var body = await RecommendAsync(server);

        Assert.Equal(ServedBy.Fallback(ServedBy.ModelError), body.GetProperty("served_by").GetString());
        Assert.Equal(5, body.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Recommend_WhenEveryModelFails_RepeatsTheLastGoodListWithStatus200()
    {
        var registry = models.Registry();
        await using var server = await ApiServer.StartAsync(registry, AllOnUserPersonalization);
        var good = await RecommendAsync(server);
        registry.Publish(new MisbehavingModel(Recipes.PopularityCount, error: new InvalidOperationException("popularity down")));
        registry.Publish(new MisbehavingModel(Recipes.UserPersonalization, error: new InvalidOperationException("model down")));

        var body = await RecommendAsync(server);

        Assert.Equal(ServedBy.Fallback(ServedBy.LastGood), body.GetProperty("served_by").GetString());
        Assert.Equal(
            good.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item_id").GetString()),
            body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item_id").GetString()));
    }

    private static async Task<JsonElement> RecommendAsync(ApiServer server)
    {
        var response = await server.Client.PostAsync("/recommendations",
            new StringContent("""{"user_id":"user_00001","num_results":5}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Fault injection: a model that is slow or throws, which the real engine cannot be made to do on demand.</summary>
    private sealed class MisbehavingModel(string recipe, TimeSpan? delay = null, Exception? error = null) : IRecommendationModel
    {
        public string Recipe => recipe;

        public async ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
        {
            if (delay is { } wait)
            {
                await Task.Delay(wait, CancellationToken.None);
            }
            throw error ?? new InvalidOperationException("slow model finished");
        }
    }
}
