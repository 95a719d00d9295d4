using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Apis;

public sealed class RecommendationsApiTests(SampleModels models) : IClassFixture<SampleModels>
{
    private static Experiment TwoArms(string firstRecipe = Recipes.PopularityCount) => new(
        "default", ExperimentStatus.Running,
        [new Variant("a", 0.5, firstRecipe), new Variant("b", 0.5, Recipes.PopularityCount)],
        Coverage: 1, Seed: "default", CreatedAt: DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Recommend_ReturnsRequestedCountWithVariantAndRecipe()
    {
        await using var server = await ApiServer.StartAsync(models.Registry(), TwoArms());

        var body = await RecommendAsync(server, """{"user_id":"user_00001","num_results":5}""");

        Assert.Equal(5, body.GetProperty("items").GetArrayLength());
        Assert.Equal("default", body.GetProperty("experiment").GetString());
        Assert.Contains(body.GetProperty("variant").GetString(), new[] { "a", "b" });
        Assert.Equal(Recipes.PopularityCount, body.GetProperty("recipe").GetString());
        Assert.Equal(ServedBy.Primary, body.GetProperty("served_by").GetString());
        var scores = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("score").GetDouble()).ToArray();
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Fact]
    public async Task Recommend_ForTheSameUser_AlwaysAssignsTheSameVariant_AndLogsEachExposure()
    {
        await using var server = await ApiServer.StartAsync(models.Registry(), TwoArms());
        var responses = new List<JsonElement>();
        for (var i = 0; i < 5; i++)
        {
            responses.Add(await RecommendAsync(server, """{"user_id":"user_00042","num_results":3}"""));
        }

        Assert.Single(responses.Select(r => r.GetProperty("variant").GetString()).Distinct());
        var exposures = server.Services.GetRequiredService<IExposureStore>();
        foreach (var response in responses)
        {
            var exposure = await exposures.GetAsync(response.GetProperty("recommendation_id").GetString()!);
            Assert.Equal("user_00042", exposure?.UserId);
            Assert.Equal(response.GetProperty("variant").GetString(), exposure?.VariantKey);
        }
    }

    [Fact]
    public async Task Recommend_AcrossManyUsers_SplitsTrafficBetweenVariants()
    {
        await using var server = await ApiServer.StartAsync(models.Registry(), TwoArms());
        var variants = new List<string?>();
        for (var i = 1; i <= 60; i++)
        {
            variants.Add((await RecommendAsync(server, $$"""{"user_id":"user_{{i:D5}}","num_results":1}""")).GetProperty("variant").GetString());
        }

        Assert.Equal(["a", "b"], variants.Distinct().Order());
    }

    [Fact]
    public async Task Recommend_WhenVariantRecipeNotTrained_ServesPopularityAndSaysSo()
    {
        var experiment = TwoArms(Recipes.UserPersonalization) with
        {
            Variants = [new Variant("only-up", 0.5, Recipes.UserPersonalization), new Variant("also-up", 0.5, Recipes.UserPersonalization)],
        };
        await using var server = await ApiServer.StartAsync(models.Registry(), experiment);

        var body = await RecommendAsync(server, """{"user_id":"user_00001","num_results":4}""");

        Assert.Equal(Recipes.UserPersonalization, body.GetProperty("recipe").GetString());
        Assert.Equal(ServedBy.Fallback(ServedBy.NotTrained), body.GetProperty("served_by").GetString());
        Assert.Equal(4, body.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"num_results":5}""", "user_id")]
    [InlineData("""{"user_id":5}""", "user_id")]
    [InlineData("""{"user_id":"u","num_results":"five"}""", "num_results")]
    [InlineData("""{"user_id":"u","num_results":0}""", "num_results")]
    [InlineData("""{"user_id":"u","num_results":101}""", "num_results")]
    [InlineData("""{"user_id":"u","num_results":5""", "$")]
    [InlineData("""[1,2]""", "$")]
    public async Task Recommend_WhenBodyInvalid_Returns400ProblemNamingTheFieldAndLogsNothing(string body, string field)
    {
        await using var server = await ApiServer.StartAsync(models.Registry(), TwoArms());

        var response = await server.Client.PostAsync("/recommendations", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsValidationProblem(response, field);
        Assert.Null(await server.Services.GetRequiredService<IAssignmentStore>().GetAsync("default", "u"));
    }

    [Fact]
    public async Task Recommend_AfterTheUsersNewEvents_ReflectsThemWithoutRetraining()
    {
        var registry = models.Registry();
        registry.Publish(models.UserPersonalization);
        var experiment = TwoArms() with
        {
            Variants = [new Variant("up-1", 0.5, Recipes.UserPersonalization), new Variant("up-2", 0.5, Recipes.UserPersonalization)],
        };
        await using var server = await ApiServer.StartAsync(registry, experiment);
        const string newcomer = """{"user_id":"newcomer-realtime","num_results":10}""";
        var before = ItemIds(await RecommendAsync(server, newcomer));

        var events = string.Join(",", new[] { "item_00090", "item_00091", "item_00092" }.Select(item =>
            $$"""{"user_id":"newcomer-realtime","event_type":"click","item_id":"{{item}}","session_id":"s"}"""));
        var accepted = await server.Client.PostAsync("/events", new StringContent($$"""{"events":[{{events}}]}""", Encoding.UTF8, "application/json"));
        var after = ItemIds(await RecommendAsync(server, newcomer));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.NotEqual(before, after);
        Assert.DoesNotContain("item_00090", after);
    }

    private static string?[] ItemIds(JsonElement body) =>
        [.. body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item_id").GetString())];

    [Fact]
    public async Task Health_ListsTheServedModels()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());

        var health = await server.Client.GetFromJsonAsync<JsonElement>("/health");

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(Recipes.PopularityCount, health.GetProperty("models")[0].GetString());
    }

    [Fact]
    public async Task Ready_IsServiceUnavailableUntilTheFallbackModelIsPublished()
    {
        var registry = new ModelRegistry();
        await using var server = await ApiServer.StartAsync(registry);

        var before = await server.Client.GetAsync("/ready");
        registry.Publish(models.Popularity);
        var after = await server.Client.GetAsync("/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.Equal("application/problem+json", before.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private static async Task<JsonElement> RecommendAsync(ApiServer server, string body)
    {
        var response = await server.Client.PostAsync("/recommendations", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
