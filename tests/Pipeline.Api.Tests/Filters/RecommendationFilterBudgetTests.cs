using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Api.Filters;
using Pipeline.Api.Http;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Filters;

/// <summary>
/// A filter that keeps nothing must not escape the request's budget: neither in candidates scored and looked up
/// (counted here, so the bound is exact) nor in time (a clock the model itself advances, so no timing is involved).
/// </summary>
public sealed class RecommendationFilterBudgetTests
{
    private const string NoSuchCategory = """INCLUDE ItemID WHERE Items.CATEGORY IN ("no-such-category")""";

    [Fact]
    public async Task Recommend_WithAFilterThatKeepsNothing_ExaminesAtMostTheRequestsCandidateBound_AndSaysSoInServedBy()
    {
        var (primary, fallback) = (new WideModel(Recipes.UserPersonalization), new WideModel(Recipes.PopularityCount));
        var registry = new ModelRegistry();
        registry.Publish(primary);
        registry.Publish(fallback);
        var experiment = new Experiment("default", ExperimentStatus.Running, [new Variant("up", 1, Recipes.UserPersonalization)],
            Coverage: 1, Seed: "default", CreatedAt: DateTimeOffset.UnixEpoch);
        await using var server = await ApiServer.StartAsync(registry, experiment);

        var response = await server.Client.PostAsJsonAsync("/recommendations", new { user_id = "hostile", num_results = 100, filter = NoSuchCategory });

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith(RecommendationFilter.BudgetSpentSuffix, body.GetProperty("served_by").GetString(), StringComparison.Ordinal);
        Assert.Empty(body.GetProperty("items").EnumerateArray());
        // Unbounded, each link escalated to 10,000 candidates: 16,300 each, 32,600 for the two.
        Assert.InRange(primary.Requested + fallback.Requested, 1, FilterBudget.DefaultMaxCandidates);
    }

    [Fact]
    public async Task Recommend_WhenTheBudgetTimeRunsOut_StopsBeforeTheNextRound()
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-budget-").FullName;
        try
        {
            await using (var database = new SqliteDatabase(Path.Combine(folder, "pipeline.db")))
            {
                var clock = new SteppedClock();
                // Every model call takes 60 ms of a 100 ms budget: the first two rounds run, the third does not start.
                var model = new WideModel(Recipes.UserPersonalization, onCall: () => clock.Advance(TimeSpan.FromMilliseconds(60)));
                var (items, users, events) = (new SqliteItemStore(database), new SqliteUserStore(database), new SqliteEventStore(database));
                var filters = new RecommendationFilters(new RankingFilters(items, users, events), items, users, events,
                    new ServingOptions { BudgetMilliseconds = 100 }, clock);
                var filter = (RecommendationFilter)filters.Bind("u", null, null, NoSuchCategory, null, new ValidationErrors())!;

                var kept = await filter.RecommendAsync(model, new ModelQuery("u", null, 100), CancellationToken.None);

                Assert.Empty(kept);
                Assert.Equal(2, model.Calls);
                Assert.True(filter.BudgetSpent);
            }
        }
        finally
        {
            SqliteDatabase.ReleaseAll();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A model over a catalog wider than any fetch: it always has more to give, and counts what it was asked for.</summary>
    private sealed class WideModel(string recipe, Action? onCall = null) : IRecommendationModel
    {
        private int _requested;
        private int _calls;

        public string Recipe => recipe;

        public int Requested => _requested;

        public int Calls => _calls;

        public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
        {
            Interlocked.Add(ref _requested, query.NumResults);
            Interlocked.Increment(ref _calls);
            onCall?.Invoke();
            return ValueTask.FromResult<IReadOnlyList<ScoredItem>>([.. Enumerable.Range(0, query.NumResults).Select(i => new ScoredItem($"wide_{i}", 1.0 / (i + 1)))]);
        }
    }

    /// <summary>A clock that moves only when told to.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
