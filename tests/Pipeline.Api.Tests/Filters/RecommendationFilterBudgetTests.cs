using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Api.Filters;
using Pipeline.Api.Http;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Filters;

/// <summary>
/// A filter that keeps nothing must not escape the request's budget: neither in candidates scored and looked up
/// (counted here, so the bound is exact) nor in time (a clock the model itself advances, so no timing is involved),
/// nor in the process's share of cores (escalation slots); and one the catalog shows keeps nothing scores nothing.
/// </summary>
public sealed class RecommendationFilterBudgetTests
{
    // One catalog item has the category, and the models below never recommend it: every round keeps nothing.
    private const string RareCategory = """INCLUDE ItemID WHERE Items.CATEGORY IN ("rare")""";
    private const string NoSuchCategory = """INCLUDE ItemID WHERE Items.CATEGORY IN ("no-such-category")""";
    private static readonly Item[] Catalog = [new("rare_1", "rare", null, null), new("book_1", "books|paper", null, null)];

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
        await server.Services.GetRequiredService<IItemStore>().UpsertAsync(Catalog);

        var response = await server.Client.PostAsJsonAsync("/recommendations", new { user_id = "hostile", num_results = 100, filter = RareCategory });

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
        var clock = new SteppedClock();
        // Every model call takes 60 ms of a 100 ms budget: the first two rounds run, the third does not start.
        var model = new WideModel(Recipes.UserPersonalization, onCall: () => clock.Advance(TimeSpan.FromMilliseconds(60)));

        var (kept, filter) = await RecommendAsync(RareCategory, model, clock, new FilterEscalationSlots(1));

        Assert.Empty(kept);
        Assert.Equal(2, model.Calls);
        Assert.True(filter.BudgetSpent);
    }

    [Fact]
    public async Task Recommend_WhenEverySlotStaysHeld_DoesOnlyItsSmallFirstRound()
    {
        var model = new WideModel(Recipes.UserPersonalization);
        var slots = new FilterEscalationSlots(1);
        using var heldByAnotherRequest = slots.TryEnter();

        // 10 results: a first round of 60 candidates needs no slot; the next (240) waits for one until the budget's time is up.
        var (kept, filter) = await RecommendAsync(RareCategory, model, new SteppedClock(), slots, numResults: 10);

        Assert.Empty(kept);
        Assert.Equal(1, model.Calls);
        Assert.Equal(60, model.Requested);
        Assert.True(filter.BudgetSpent);
        Assert.NotNull(heldByAnotherRequest);
    }

    [Fact]
    public async Task Recommend_WhenASlotComesFreeWhileWaiting_Escalates()
    {
        var model = new WideModel(Recipes.UserPersonalization);
        var slots = new FilterEscalationSlots(1);
        var heldByAnotherRequest = slots.TryEnter()!;

        // A budget that does not run out while waiting (the clock stands still; the slot's wait is bounded by it).
        var request = RecommendAsync(RareCategory, model, new SteppedClock(), slots, budgetMilliseconds: 600_000);
        heldByAnotherRequest.Dispose();
        var (_, filter) = await request;

        Assert.Equal(4, model.Calls);
        Assert.False(filter.BudgetSpent);
        Assert.NotNull(slots.TryEnter());
    }

    [Theory]
    [InlineData(NoSuchCategory)]
    [InlineData("""INCLUDE ItemID WHERE Items.CATEGORY IN ("none", "other") OR Items.CATEGORY IN ("nothing") | EXCLUDE ItemID WHERE Items.CATEGORY IN ("books")""")]
    [InlineData("""INCLUDE ItemID WHERE Items.CATEGORY IN ($C) AND Items.PRICE > 1""")]
    public async Task Recommend_WithAnIncludeOfCategoriesNoItemHas_AsksNoModel(string expression)
    {
        var model = new WideModel(Recipes.UserPersonalization);

        var (kept, filter) = await RecommendAsync(expression, model, new SteppedClock(), new FilterEscalationSlots(1),
            new Dictionary<string, string> { ["C"] = "\"nope\"" });

        Assert.Empty(kept);
        Assert.Equal(0, model.Calls);
        Assert.True(filter.SelectsNothing);
    }

    [Theory]
    [InlineData("""INCLUDE ItemID WHERE Items.CATEGORY IN ("paper")""")]
    [InlineData("""INCLUDE ItemID WHERE Items.CATEGORY IN ("none") OR Items.PRICE > 1""")]
    [InlineData("""INCLUDE ItemID WHERE Items.CATEGORY NOT IN ("none")""")]
    [InlineData("""INCLUDE ItemID WHERE Items.CATEGORY IN ("none") IF CurrentUser.TIER = 1""")]
    public async Task Recommend_WhenTheCatalogCouldMatch_Scores(string expression)
    {
        var model = new WideModel(Recipes.UserPersonalization);

        var (_, filter) = await RecommendAsync(expression, model, new SteppedClock(), new FilterEscalationSlots(1));

        Assert.True(model.Calls > 0);
        Assert.False(filter.SelectsNothing);
    }

    [Fact]
    public async Task Recommend_WithACategoryNoItemHas_SaysSoInServedBy()
    {
        var (model, fallback) = (new WideModel(Recipes.UserPersonalization), new WideModel(Recipes.PopularityCount));
        var registry = new ModelRegistry();
        registry.Publish(model);
        registry.Publish(fallback);
        var experiment = new Experiment("default", ExperimentStatus.Running, [new Variant("up", 1, Recipes.UserPersonalization)],
            Coverage: 1, Seed: "default", CreatedAt: DateTimeOffset.UnixEpoch);
        await using var server = await ApiServer.StartAsync(registry, experiment);
        await server.Services.GetRequiredService<IItemStore>().UpsertAsync(Catalog);

        var response = await server.Client.PostAsJsonAsync("/recommendations", new { user_id = "hostile", num_results = 100, filter = NoSuchCategory });

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ServedBy.Primary + RecommendationFilter.SelectsNothingSuffix, body.GetProperty("served_by").GetString());
        Assert.Equal(0, model.Calls + fallback.Calls);
    }

    private static async Task<(IReadOnlyList<ScoredItem> Kept, RecommendationFilter Filter)> RecommendAsync(
        string expression, WideModel model, TimeProvider clock, FilterEscalationSlots slots, IReadOnlyDictionary<string, string>? values = null,
        int numResults = 100, int budgetMilliseconds = 100)
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-budget-").FullName;
        try
        {
            await using var database = new SqliteDatabase(Path.Combine(folder, "pipeline.db"));
            var (items, users, events) = (new SqliteItemStore(database), new SqliteUserStore(database), new SqliteEventStore(database));
            await items.UpsertAsync(Catalog);
            var filters = new RecommendationFilters(new RankingFilters(items, users, events), items, users, events,
                new ServingOptions { BudgetMilliseconds = budgetMilliseconds }, clock, slots);
            var errors = new ValidationErrors();
            var filter = (RecommendationFilter?)filters.Bind("u", null, null, expression, values, errors)
                ?? throw new InvalidOperationException(string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
            return (await filter.RecommendAsync(model, new ModelQuery("u", null, numResults), CancellationToken.None), filter);
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
