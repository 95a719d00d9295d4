using System.Net;
using System.Text.Json;

namespace Pipeline.Api.Tests.Apis;

public sealed class ExperimentsBanditApiTests(SampleModels models) : IClassFixture<SampleModels>
{
    private const string Arms = "\"variants\":[{\"key\":\"a\",\"weight\":0.5,\"recipe\":\"aws-popularity-count\"},{\"key\":\"b\",\"weight\":0.5,\"recipe\":\"aws-popularity-count\"}]";

    private static string Body(string key, string extra = "") => "{\"key\":\"" + key + "\"," + Arms + extra + "}";

    [Fact]
    public async Task Create_a_bandit_answers_its_settings_and_an_empty_weight_history()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());

        var created = await server.Post("/experiments", Body("default", ""","allocation":"bandit","bandit":{"period_seconds":3600,"minimum_share":0.02,"burn_in_seconds":86400}""")).Ok();

        Assert.Equal("bandit", created.GetProperty("allocation").GetString());
        Assert.Equal(3600, created.GetProperty("bandit").GetProperty("period_seconds").GetDouble());
        Assert.Equal(0.02, created.GetProperty("bandit").GetProperty("minimum_share").GetDouble());
        Assert.Equal(86400, created.GetProperty("bandit").GetProperty("burn_in_seconds").GetDouble());
        Assert.Equal(0, created.GetProperty("weight_history").GetArrayLength());
        var fixedOne = await server.Post("/experiments", Body("other")).Ok();
        Assert.Equal("fixed", fixedOne.GetProperty("allocation").GetString());
        Assert.Equal(JsonValueKind.Null, fixedOne.GetProperty("bandit").ValueKind);
        var defaults = await server.Post("/experiments", Body("third", ""","allocation":"bandit" """)).Ok();
        Assert.Equal(3600, defaults.GetProperty("bandit").GetProperty("period_seconds").GetDouble());
        Assert.Equal(0.01, defaults.GetProperty("bandit").GetProperty("minimum_share").GetDouble());
    }

    [Theory]
    [InlineData(""","allocation":"greedy" """, "allocation")]
    [InlineData(""","allocation":"bandit","bandit":{"minimum_share":0.5} """, "bandit.minimum_share")]
    [InlineData(""","allocation":"bandit","bandit":{"period_seconds":0.5} """, "bandit.period_seconds")]
    [InlineData(""","allocation":"bandit","bandit":{"burn_in_seconds":-1} """, "bandit.burn_in_seconds")]
    [InlineData(""","allocation":"bandit","bandit":{"period_seconds":1e308} """, "bandit.period_seconds")]
    public async Task Create_with_invalid_bandit_settings_answers_a_problem_naming_the_field(string extra, string field)
    {
        await using var server = await ApiServer.StartAsync(models.Registry());

        await ProblemAssert.IsValidationProblem(await server.Post("/experiments", Body("default", extra)), field);
    }

    [Fact]
    public async Task A_running_bandit_refuses_weights_by_hand_and_an_update_before_its_burn_in_changes_nothing()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        await server.Post("/experiments", Body("default", ""","allocation":"bandit","bandit":{"period_seconds":60,"burn_in_seconds":3600}""")).Ok();
        await server.Post("/experiments/default/start").Ok();

        var byHand = await server.Put("/experiments/default/weights", """{"weights":{"a":0.1,"b":0.9}}""");
        var update = await server.Post("/experiments/bandits/update").Ok();

        Assert.Equal(HttpStatusCode.Conflict, byHand.StatusCode);
        Assert.Equal(0, update.GetProperty("experiments").GetArrayLength());
        var results = await server.GetJson("/experiments/default/results");
        var period = results.GetProperty("bandit").GetProperty("periods").EnumerateArray().Single();
        Assert.Equal([0.5, 0.5], period.GetProperty("weights").EnumerateArray().Select(w => w.GetDouble()));
    }
}
