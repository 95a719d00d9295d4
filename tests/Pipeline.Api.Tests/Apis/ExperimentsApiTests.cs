using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Api.Security;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Experiments.Results;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Apis;

public sealed class ExperimentsApiTests(SampleModels models) : IClassFixture<SampleModels>
{
    [Fact]
    public async Task Create_Answers201WithADraftAndItsDefaultsThenGetAndListReturnIt()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());

        var response = await server.Post("/experiments", ExperimentsApiClient.TwoArms);
        var created = await Task.FromResult(response).Ok();
        var fetched = await server.GetJson("/experiments/default");
        var list = await server.GetJson("/experiments");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/experiments/default", response.Headers.Location?.OriginalString);
        Assert.Equal("draft", created.GetProperty("status").GetString());
        Assert.Equal(0, created.GetProperty("phase").GetInt32());
        Assert.Equal(1, created.GetProperty("coverage").GetDouble());
        Assert.Equal("user_id", created.GetProperty("hash_attribute").GetString());
        Assert.Equal("conversion_rate", created.GetProperty("primary_metric").GetString());
        Assert.Equal(["latency_ms", "fallback_rate", "latency_p99_ms"], created.GetProperty("guardrail_metrics").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(0.05, created.GetProperty("minimum_detectable_effect").GetDouble());
        Assert.Equal("0.1", created.GetProperty("variants")[1].GetProperty("config").GetProperty("explore").GetString());
        Assert.Equal(created.ToString(), fetched.ToString());
        Assert.Equal("default", list.GetProperty("experiments")[0].GetProperty("key").GetString());
    }

    [Theory]
    [InlineData("""{"key":"x","variants":[{"key":"a","weight":0.5,"recipe":"aws-sims"},{"key":"b","weight":0.4,"recipe":"aws-sims"}]}""", "variants")]
    [InlineData("""{"key":"x","variants":[{"key":"a","weight":0.5,"recipe":"aws-sims"},{"key":"a","weight":0.5,"recipe":"aws-sims"}]}""", "variants[1].key")]
    [InlineData("""{"key":"x","coverage":1.5,"variants":[{"key":"a","weight":0.5,"recipe":"aws-sims"},{"key":"b","weight":0.5,"recipe":"aws-sims"}]}""", "coverage")]
    [InlineData("""{"key":"x","coverage":"all","variants":[]}""", "coverage")]
    [InlineData("""{"key":"x","variants":[{"key":"a","recipe":"aws-sims"},{"key":"b","weight":1,"recipe":"aws-sims"}]}""", "variants[0].weight")]
    [InlineData("""{"variants":[{"key":"a","weight":0.5,"recipe":"aws-sims"},{"key":"b","weight":0.5,"recipe":"aws-sims"}]}""", "key")]
    [InlineData("""{"key":"x","variants":[{"key":"a","weight":0.5,"recipe":"aws-sims"},{"key":"b","weight":0.5,"recipe":"aws-sims"}],"holdout":1}""", "holdout")]
    [InlineData("""{"key":"x","variants":[{"key":"a","weight":0.5,"recipe":"aws-sims"},{"key":"b","weight":0.5,"recipe":"aws-sims"}],"guardrail_metrics":["p99"]}""", "guardrail_metrics")]
    public async Task Create_WithAnInvalidField_AnswersAProblemNamingIt(string body, string field)
    {
        await using var server = await ApiServer.StartAsync(models.Registry());

        await ProblemAssert.IsValidationProblem(await server.Post("/experiments", body), field);
    }

    [Fact]
    public async Task CreatingAnExistingKeyAgain_IsAConflict()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        await server.Post("/experiments", ExperimentsApiClient.TwoArms).Ok();

        var again = await server.Post("/experiments", ExperimentsApiClient.TwoArms);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task StartAndStop_FollowTheLifecycleAndRefuseTheWrongTransitions()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        await server.Post("/experiments", ExperimentsApiClient.TwoArms).Ok();

        Assert.Equal(HttpStatusCode.Conflict, (await server.Post("/experiments/default/stop")).StatusCode);
        var started = await server.Post("/experiments/default/start").Ok();
        Assert.Equal(HttpStatusCode.Conflict, (await server.Post("/experiments/default/start")).StatusCode);
        var stopped = await server.Post("/experiments/default/stop").Ok();
        var restarted = await server.Post("/experiments/default/start").Ok();

        Assert.Equal("running", started.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, started.GetProperty("started_at").ValueKind);
        Assert.Equal("stopped", stopped.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, stopped.GetProperty("stopped_at").ValueKind);
        Assert.Equal("running", restarted.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Post("/experiments/nope/start")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/experiments/nope/results")).StatusCode);
    }

    [Fact]
    public async Task Draft_CanChangeAnythingButAStartedExperimentKeepsItsBucketingFields()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        await server.Post("/experiments", ExperimentsApiClient.TwoArms).Ok();
        var edited = await server.Put("/experiments/default", """{"seed":"s2","primary_metric":"ctr"}""").Ok();
        await server.Post("/experiments/default/start").Ok();

        var seedChange = await server.Put("/experiments/default", """{"seed":"s3"}""");
        var variantChange = await server.Put("/experiments/default", """{"variants":[{"key":"a","weight":0.2,"recipe":"aws-sims"},{"key":"b","weight":0.8,"recipe":"aws-sims"}]}""");
        var metricChange = await server.Put("/experiments/default", """{"primary_metric":"revenue_per_user","minimum_detectable_effect":0.02}""").Ok();

        Assert.Equal("s2", edited.GetProperty("seed").GetString());
        Assert.Equal(HttpStatusCode.Conflict, seedChange.StatusCode);
        Assert.Contains("seed", (await seedChange.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Conflict, variantChange.StatusCode);
        Assert.Equal("revenue_per_user", metricChange.GetProperty("primary_metric").GetString());
        Assert.Equal(0.02, metricChange.GetProperty("minimum_detectable_effect").GetDouble());
    }

    [Theory]
    [InlineData("""{"weights":{"a":1}}""", "weights.b")]
    [InlineData("""{"weights":{"a":0.5,"b":0.5,"c":0}}""", "weights.c")]
    [InlineData("""{"weights":{"a":0.7,"b":0.7}}""", "weights")]
    [InlineData("""{"weights":{"a":-0.5,"b":1.5}}""", "weights.a")]
    [InlineData("""{}""", "weights")]
    public async Task InvalidWeights_AnswerAProblemNamingTheField(string body, string field)
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        await server.Post("/experiments", ExperimentsApiClient.TwoArms).Ok();

        await ProblemAssert.IsValidationProblem(await server.Put("/experiments/default/weights", body), field);
    }

    [Fact]
    public async Task Users_KeepTheirVariantWhenWeightsChangeAndAreRebucketedWhenTheExperimentIsReversioned()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        await server.StartDefault();
        var users = Enumerable.Range(1, 80).Select(i => $"user_{i:D5}").ToArray();
        var before = await Variants(server, users);

        var reweighted = await server.Put("/experiments/default/weights", """{"weights":{"a":0.05,"b":0.95}}""").Ok();
        var afterWeights = await Variants(server, users);
        var newcomers = await Variants(server, Enumerable.Range(1000, 80).Select(i => $"user_{i:D5}").ToArray());
        var reversioned = await server.Put("/experiments/default/weights", """{"weights":{"a":0.05,"b":0.95},"reassign":true}""").Ok();
        var afterReversion = await Variants(server, users);

        Assert.Equal(["a", "b"], before.Distinct().Order());
        Assert.Equal(0, reweighted.GetProperty("phase").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, reweighted.GetProperty("weights_changed_at").ValueKind);
        Assert.Equal(before, afterWeights);
        Assert.True(newcomers.Count(v => v == "b") >= 70, string.Join(",", newcomers));
        Assert.Equal(1, reversioned.GetProperty("phase").GetInt32());
        Assert.True(afterReversion.Count(v => v == "b") >= 70, string.Join(",", afterReversion));
        Assert.Contains(Enumerable.Range(0, users.Length), i => before[i] == "a" && afterReversion[i] == "b");
    }

    [Fact]
    public async Task ForcedVariant_FromTheHeaderOrQuery_IsServedButNotAssignedOrLogged()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        await server.Post("/experiments", ExperimentsApiClient.TwoArms).Ok(); // a draft: QA before starting

        var byHeader = await server.Recommend("user_00001", header: "b");
        var byQuery = await server.Recommend("user_00001", query: "?force_variant=a");
        var unforced = await server.Recommend("user_00001");

        Assert.Equal("b", byHeader.GetProperty("variant").GetString());
        Assert.Equal("a", byQuery.GetProperty("variant").GetString());
        Assert.Equal(JsonValueKind.Null, unforced.GetProperty("variant").ValueKind); // a draft assigns no one
        var exposures = server.Services.GetRequiredService<IExposureStore>();
        Assert.Null(await exposures.GetAsync(byHeader.GetProperty("recommendation_id").GetString()!));
        Assert.Null(await exposures.GetAsync(byQuery.GetProperty("recommendation_id").GetString()!));
        Assert.Null(await server.Services.GetRequiredService<IAssignmentStore>().GetAsync("default__0", "user_00001"));
    }

    [Fact]
    public async Task HeldOutUsers_GetTheFallbackRecipeAndNoExposure()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        await server.StartDefault("""
            {"key":"default","holdout":0.5,"variants":[
              {"key":"a","weight":0.5,"recipe":"aws-user-personalization"},{"key":"b","weight":0.5,"recipe":"aws-user-personalization"}]}
            """);
        var experiment = (await server.Services.GetRequiredService<IExperimentStore>().GetAsync("default"))!;
        var users = Enumerable.Range(1, 40).Select(i => $"user_{i:D5}").ToArray();

        foreach (var user in users)
        {
            var body = await server.Recommend(user);
            if (VariantAssigner.InHoldout(experiment, user))
            {
                Assert.Equal(JsonValueKind.Null, body.GetProperty("variant").ValueKind);
                Assert.Equal(Recipes.PopularityCount, body.GetProperty("recipe").GetString());
                Assert.Null(await server.Services.GetRequiredService<IExposureStore>().GetAsync(body.GetProperty("recommendation_id").GetString()!));
            }
            else
            {
                Assert.Equal(Recipes.UserPersonalization, body.GetProperty("recipe").GetString());
            }
        }
        Assert.InRange(users.Count(u => VariantAssigner.InHoldout(experiment, u)), 8, 32);
    }

    [Fact]
    public async Task Results_CountUsersAndAttributedConversionsPerVariantFromServedListsAndEvents()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        await server.StartDefault();
        var served = new List<(string User, string Variant, string RecommendationId)>();
        for (var i = 1; i <= 40; i++)
        {
            var user = $"user_{i:D5}";
            var body = await server.Recommend(user);
            await server.Recommend(user); // a second list: one more exposure, not one more user
            served.Add((user, body.GetProperty("variant").GetString()!, body.GetProperty("recommendation_id").GetString()!));
        }
        // Every third user clicks; every fourth buys for 10 + i; user 2 also buys with user 1's list (not attributed).
        for (var i = 0; i < served.Count; i++)
        {
            if (i % 3 == 0) await server.Event(served[i].User, "click", served[i].RecommendationId);
            if (i % 4 == 0) await server.Event(served[i].User, "purchase", served[i].RecommendationId, 10 + i);
        }
        await server.Event(served[1].User, "purchase", served[0].RecommendationId, 1000);

        var results = await server.GetJson("/experiments/default/results");

        foreach (var variant in results.GetProperty("variants").EnumerateArray())
        {
            var key = variant.GetProperty("key").GetString();
            var mine = Enumerable.Range(0, served.Count).Where(i => served[i].Variant == key).ToArray();
            Assert.Equal(mine.Length, variant.GetProperty("users").GetInt64());
            Assert.Equal(2 * mine.Length, variant.GetProperty("exposures").GetInt64());
            Assert.Equal(mine.Count(i => i % 3 == 0), variant.GetProperty("clickers").GetInt64());
            Assert.Equal(mine.Count(i => i % 4 == 0), variant.GetProperty("purchasers").GetInt64());
            Assert.Equal(mine.Where(i => i % 4 == 0).Sum(i => 10.0 + i), variant.GetProperty("revenue").GetDouble(), 9);
            Assert.Equal(mine.Count(i => i % 4 == 0) / (double)mine.Length, variant.GetProperty("conversion_rate").GetDouble(), 12);
        }
        Assert.Equal("a", results.GetProperty("control").GetString());
        Assert.Equal(4, results.GetProperty("metrics").GetArrayLength());
        var conversion = results.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "conversion_rate");
        Assert.True(conversion.GetProperty("primary").GetBoolean());
        Assert.Equal(JsonValueKind.Number, conversion.GetProperty("comparisons")[0].GetProperty("chance_to_win").ValueKind);
        Assert.Equal(JsonValueKind.Number, results.GetProperty("srm").GetProperty("p_value").ValueKind);
        Assert.Single(results.GetProperty("timeline").EnumerateArray());
    }

    /// <summary>
    /// Served lists through the real request path, their latencies as measured there: every list counts in its variant's
    /// latency histogram, and the results' latency_p99_ms guardrail (the experiment's only one here) reads each arm's p99
    /// off those histograms, with the intervals of the exceedance share that the online gate reads.
    /// </summary>
    [Fact]
    public async Task Results_WithTheP99Guardrail_ReportEachVariantsP99FromItsServedListsAndTheSequentialInterval()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        await server.StartDefault(ExperimentsApiClient.TwoArms.Replace("""{"key":"default",""", """{"key":"default","guardrail_metrics":["latency_p99_ms"],"""));
        for (var i = 1; i <= 30; i++)
        {
            await server.Recommend($"user_{i:D5}");
            await server.Recommend($"user_{i:D5}");
        }

        var results = await server.GetJson("/experiments/default/results");

        var g = Assert.Single(results.GetProperty("guardrails").EnumerateArray());
        Assert.Equal(("latency_p99_ms", "b"), (g.GetProperty("metric").GetString(), g.GetProperty("variant").GetString()));
        var daily = await server.Services.GetRequiredService<IExperimentMetricsStore>().ListDailyAsync("default", 0);
        var totals = ExperimentAnalyzer.Totals(["a", "b"], daily, _ => true);
        Assert.Equal(60, totals.Sum(t => t.Exposures));
        Assert.All(totals, t => Assert.Equal(t.Exposures, t.LatencyHistogram.Total));
        Assert.Equal(totals[0].LatencyHistogram.QuantileMs(0.99), g.GetProperty("control_value").GetDouble());
        Assert.Equal(totals[1].LatencyHistogram.QuantileMs(0.99), g.GetProperty("treatment_value").GetDouble());
        Assert.Contains(g.GetProperty("control_value").GetDouble(), LatencyHistogram.UpperBoundsMs);
        // With 30 or so lists an arm's p99 is its slowest list's bucket bound: at least its mean.
        foreach (var (variant, value) in new[] { ("a", "control_value"), ("b", "treatment_value") })
        {
            var mean = results.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("key").GetString() == variant).GetProperty("mean_latency_ms").GetDouble();
            Assert.True(g.GetProperty(value).GetDouble() >= mean, $"{variant}: p99 {g.GetProperty(value)} below the mean {mean}");
        }
        Assert.Equal(JsonValueKind.Number, g.GetProperty("threshold_ms").ValueKind);
        Assert.Equal(JsonValueKind.Object, g.GetProperty("sequential").ValueKind);
        Assert.Equal(JsonValueKind.Number, g.GetProperty("sequential").GetProperty("ci_low").ValueKind);
        Assert.Equal(g.GetProperty("sequential").GetProperty("ci_low").GetDouble() > 0, g.GetProperty("sequential_harm").GetBoolean());
    }

    [Fact]
    public async Task BatchedAndResentEvents_CountOnceInTheResults()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        await server.StartDefault();
        var served = await server.Recommend("user_00007");
        var rid = served.GetProperty("recommendation_id").GetString();
        var batch = $$"""
            {"events":[
              {"event_id":"p1","user_id":"user_00007","event_type":"purchase","item_id":"i","session_id":"s","recommendation_id":"{{rid}}","event_value":20},
              {"event_id":"c1","user_id":"user_00007","event_type":"click","item_id":"i","session_id":"s","recommendation_id":"{{rid}}"}]}
            """;

        await server.Post("/events", batch).Ok();
        await server.Post("/events", batch).Ok(); // a client retry: duplicates

        var results = await server.GetJson("/experiments/default/results");
        var variant = results.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("key").GetString() == served.GetProperty("variant").GetString());
        Assert.Equal((1, 1, 1, 20d), (variant.GetProperty("clicks").GetInt64(), variant.GetProperty("purchases").GetInt64(),
            variant.GetProperty("purchasers").GetInt64(), variant.GetProperty("revenue").GetDouble()));
    }

    [Fact]
    public async Task ExperimentsEndpoints_WithApiKeysConfigured_NeedAnAdminKey()
    {
        var (client, admin) = (ApiKeys.Create(ApiKeyScope.Client), ApiKeys.Create(ApiKeyScope.Admin));
        await using var server = await ApiServer.StartAsync(models.Registry(), settings: new Dictionary<string, string?>
        {
            ["ApiKeys:ClientKeySha256:0"] = ApiKeys.Hash(client),
            ["ApiKeys:AdminKeySha256:0"] = ApiKeys.Hash(admin),
        });

        async Task<HttpStatusCode> List(string? key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/experiments");
            if (key is not null) request.Headers.Add(ApiKeys.Header, key);
            return (await server.Client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await List(null));
        Assert.Equal(HttpStatusCode.Forbidden, await List(client));
        Assert.Equal(HttpStatusCode.OK, await List(admin));
    }

    private static async Task<string[]> Variants(ApiServer server, string[] users)
    {
        var variants = new List<string>();
        foreach (var user in users)
        {
            variants.Add((await server.Recommend(user)).GetProperty("variant").GetString()!);
        }
        return [.. variants];
    }
}
