using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Bandits;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Api.Tests.Apis;

public sealed class ExperimentsBanditApiTests(SampleModels models) : IClassFixture<SampleModels>
{
    private const string Arms = "\"variants\":[{\"key\":\"a\",\"weight\":0.5,\"recipe\":\"aws-popularity-count\"},{\"key\":\"b\",\"weight\":0.5,\"recipe\":\"aws-popularity-count\"}]";

    private static string Body(string key, string extra = "") => "{\"key\":\"" + key + "\"," + Arms + extra + "}";

    [Fact]
    public async Task Create_ForABandit_AnswersItsSettingsAndAnEmptyWeightHistory()
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
    public async Task Create_WithInvalidBanditSettings_AnswersAProblemNamingTheField(string extra, string field)
    {
        await using var server = await ApiServer.StartAsync(models.Registry());

        await ProblemAssert.IsValidationProblem(await server.Post("/experiments", Body("default", extra)), field);
    }

    [Fact]
    public async Task RunningBandit_RefusesWeightsByHandAndAnUpdateBeforeItsBurnInChangesNothing()
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

    /// <summary>
    /// A bandit in its second period (weights 20/80 since the first update): every user served now is stamped with
    /// period 1, so the results count them as that period's entrants and period 0 keeps none, and their later click is
    /// counted in period 1's rows.
    /// </summary>
    [Fact]
    public async Task UsersServed_InAPeriod_AreStampedWithItAndCountedAsItsEntrants()
    {
        var started = DateTimeOffset.UtcNow.AddHours(-2);
        var bandit = new Experiment("default", ExperimentStatus.Running,
            [new Variant("a", 0.2, "aws-popularity-count"), new Variant("b", 0.8, "aws-popularity-count")], 1, "", started)
        {
            StartedAt = started,
            PrimaryMetric = ExperimentMetrics.ClickThroughRate,
            Allocation = ExperimentAllocation.Bandit,
            Bandit = new BanditSettings(TimeSpan.FromDays(1), 0.05, TimeSpan.FromHours(1)),
            WeightHistory =
            [
                new BanditPeriod(0, started, [0.5, 0.5], [BanditArmTotals.Zero, BanditArmTotals.Zero]),
                new BanditPeriod(1, started.AddHours(1), [0.2, 0.8], [BanditArmTotals.Zero, BanditArmTotals.Zero]),
            ],
        };
        await using var server = await ApiServer.StartAsync(models.Registry(), bandit);

        string? firstList = null;
        for (var u = 0; u < 40; u++)
        {
            var served = await server.Recommend($"user_{u:00000}");
            firstList ??= served.GetProperty("recommendation_id").GetString();
        }
        await server.Event("user_00000", "click", firstList);

        var periods = (await server.GetJson("/experiments/default/results")).GetProperty("bandit").GetProperty("periods").EnumerateArray().ToArray();
        Assert.Equal(2, periods.Length);
        Assert.Equal(0, periods[0].GetProperty("users").EnumerateArray().Sum(u => u.GetInt64()));
        Assert.Equal(40, periods[1].GetProperty("users").EnumerateArray().Sum(u => u.GetInt64()));
        var metrics = server.Services.GetRequiredService<IExperimentMetricsStore>();
        Assert.Equal(1, (await metrics.GetUserAsync("default", "user_00000"))!.Period);
        var daily = await metrics.ListDailyAsync("default", 0);
        Assert.All(daily, row => Assert.Equal(1, row.Period));
        Assert.Equal(1, daily.Sum(row => row.Clickers));
    }
}
