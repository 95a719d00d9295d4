using Pipeline.Domain.Catalog;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Models;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Recipes;

public sealed class UserPersonalizationTests
{
    private static readonly UserPersonalizationOptions EaseOptions = new("ease", Lambda: 1.0);
    private static readonly UserPersonalizationOptions AlsOptions = new("als", Als: new AlsOptions(Factors: 2, Regularization: 1, Iterations: 10));

    /// <summary>Two clusters: {A, B, C} are watched together, {X, Y, Z} together; Z is the most popular item overall.</summary>
    private static InteractionDataset Clusters()
    {
        var rows = new List<(string, string)>();
        for (var u = 0; u < 20; u++)
        {
            rows.Add(($"a{u}", "A"));
            rows.Add(($"a{u}", "B"));
            if (u % 2 == 0) rows.Add(($"a{u}", "C"));
        }
        for (var u = 0; u < 30; u++)
        {
            rows.Add(($"x{u}", "X"));
            rows.Add(($"x{u}", "Z"));
            if (u % 2 == 0) rows.Add(($"x{u}", "Y"));
        }
        rows.Add(("lonely", "A"));
        return TinyData.Build([.. rows]);
    }

    private static string[] Ids(IReadOnlyList<ScoredItem> items) => [.. items.Select(i => i.ItemId)];

    [Theory]
    [InlineData("ease")]
    [InlineData("als")]
    public async Task Recommend_ExcludesHistoryAndFollowsTheUsersCluster(string algorithm)
    {
        var model = UserPersonalization.Train(new TrainingData(Clusters()), algorithm == "ease" ? EaseOptions : AlsOptions);

        var items = Ids(await model.RecommendAsync(new ModelQuery("a1", null, 2)));

        Assert.DoesNotContain("A", items);
        Assert.DoesNotContain("B", items);
        Assert.Equal("C", items[0]);
    }

    [Theory]
    [InlineData("ease")]
    [InlineData("als")]
    public async Task Record_RealtimeEvent_ChangesRecommendationsImmediately(string algorithm)
    {
        var model = UserPersonalization.Train(new TrainingData(Clusters()), algorithm == "ease" ? EaseOptions : AlsOptions);
        var before = await model.RecommendAsync(new ModelQuery("lonely", null, 5));

        model.Record("lonely", "X", "view", DateTimeOffset.UtcNow);
        model.Record("lonely", "Z", "view", DateTimeOffset.UtcNow);
        var after = await model.RecommendAsync(new ModelQuery("lonely", null, 5));

        // Y goes with X and Z: its score jumps at once, and the items just seen are excluded.
        Assert.Equal("B", before[0].ItemId);
        Assert.True(after.Single(i => i.ItemId == "Y").Score > before.Single(i => i.ItemId == "Y").Score);
        Assert.Contains("Y", Ids(after)[..3]);
        Assert.DoesNotContain("X", Ids(after));
        Assert.DoesNotContain("Z", Ids(after));
    }

    /// <summary>Recording only appends to the history (the events path waits for no solve); the next request folds in.</summary>
    [Fact]
    public async Task Record_Als_DefersTheFoldInToTheUsersNextRecommendation()
    {
        var model = UserPersonalization.Train(new TrainingData(Clusters()), AlsOptions);
        var trained = model.Current("lonely").Factor;

        model.Record("lonely", "X", "view", DateTimeOffset.UtcNow);
        model.Record("lonely", "Z", "view", DateTimeOffset.UtcNow);
        var recorded = model.Current("lonely");
        var after = await model.RecommendAsync(new ModelQuery("lonely", null, 5));
        var folded = model.Current("lonely");

        Assert.True(recorded.FactorIsStale);
        Assert.Equal(trained, recorded.Factor);
        Assert.False(folded.FactorIsStale);
        Assert.Equal(model.Scorer.FoldIn(recorded.Items, trained!), folded.Factor);
        Assert.Contains("Y", Ids(after)[..3]);
    }

    [Fact]
    public async Task Record_WhileTheUserIsServedConcurrently_KeepsEveryEventAndTheNextRequestReflectsThemAll()
    {
        var rows = new List<(string, string)>();
        for (var u = 0; u < 40; u++)
        {
            for (var k = 0; k < 5; k++) rows.Add(($"u{u}", $"I{(u + k * 7) % 48:00}"));
        }
        var model = UserPersonalization.Train(new TrainingData(TinyData.Build([.. rows])), AlsOptions);

        var recorders = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 10; i++) model.Record("newcomer", $"I{t * 10 + i:00}", "view", DateTimeOffset.UtcNow);
        }));
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++) await model.RecommendAsync(new ModelQuery("newcomer", null, 5));
        }));
        await Task.WhenAll(recorders.Concat(readers));
        var served = Ids(await model.RecommendAsync(new ModelQuery("newcomer", null, 48)));

        Assert.Equal(40, model.Current("newcomer").Items.Length);
        Assert.False(model.Current("newcomer").FactorIsStale);
        Assert.Equal(8, served.Length); // only the items not yet seen are left
        Assert.All(served, id => Assert.True(string.CompareOrdinal(id, "I40") >= 0));
    }

    [Fact]
    public async Task WithItemExploration_ServesTheCampaignConfigAndSharesRealtimeEvents()
    {
        var model = UserPersonalization.Train(new TrainingData(Clusters()), EaseOptions);
        var campaign = (UserPersonalizationModel)model.WithItemExploration(
            new Dictionary<string, string> { ["explorationWeight"] = "0.5", ["explorationItemAgeCutOff"] = "7" });

        model.Record("newcomer", "C", "click", DateTimeOffset.UtcNow);

        Assert.Equal(new ItemExplorationConfig(0.5, 7), campaign.Exploration);
        Assert.Equal(ItemExplorationConfig.None, model.Exploration);
        Assert.DoesNotContain("C", Ids(await campaign.RecommendAsync(new ModelQuery("newcomer", null, 5))));
    }

    [Fact]
    public async Task Record_NewUser_GetsPersonalizedInsteadOfPopularItems()
    {
        var model = UserPersonalization.Train(new TrainingData(Clusters()), EaseOptions);

        model.Record("newcomer", "C", "click", DateTimeOffset.UtcNow);

        Assert.Equal(["A", "B"], Ids(await model.RecommendAsync(new ModelQuery("newcomer", null, 2))).Order());
    }

    [Theory]
    [InlineData("ease")]
    [InlineData("als")]
    public async Task Recommend_ColdUser_GetsPopularItems(string algorithm)
    {
        var model = UserPersonalization.Train(new TrainingData(Clusters()), algorithm == "ease" ? EaseOptions : AlsOptions);

        var items = Ids(await model.RecommendAsync(new ModelQuery("never-seen", null, 3)));

        // X and Z: 30 users each (tie broken by index order of first appearance), A: 21, B: 20.
        Assert.Equal(["X", "Z", "A"], items);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.3, 3)]
    [InlineData(0.5, 5)]
    [InlineData(1.0, 10)]
    public async Task Exploration_GivesNewItemsTheirShareOfSlots(double weight, int expectedNew)
    {
        var interactions = GeneratedLike(out var latest);
        var newItems = Enumerable.Range(0, 20).Select(i => new Item($"new{i}", null, null, DateTimeOffset.FromUnixTimeSeconds(latest - 86400 * (i + 1)))).ToList();
        var oldItems = interactions.ItemIds.Select(id => new Item(id, null, null, DateTimeOffset.FromUnixTimeSeconds(latest - 86400 * 400))).ToList();
        var model = UserPersonalization.Train(new TrainingData(interactions, [.. oldItems, .. newItems]), EaseOptions);
        model.Exploration = new ItemExplorationConfig(weight, 30);

        var items = Ids(await model.RecommendAsync(new ModelQuery("u3", null, 10)));

        Assert.Equal(10, items.Length);
        Assert.Equal(expectedNew, items.Count(i => i.StartsWith("new", StringComparison.Ordinal)));
        Assert.Equal(items.Length, items.Distinct().Count());
    }

    [Fact]
    public async Task Exploration_ItemsOlderThanTheCutOff_AreNotExplored()
    {
        var interactions = GeneratedLike(out var latest);
        var items = new List<Item> { new("stale", null, null, DateTimeOffset.FromUnixTimeSeconds(latest - 86400 * 31)) };
        var model = UserPersonalization.Train(new TrainingData(interactions, items), EaseOptions);
        model.Exploration = new ItemExplorationConfig(1.0, 30);

        Assert.DoesNotContain("stale", Ids(await model.RecommendAsync(new ModelQuery("u3", null, 10))));
    }

    [Theory]
    [InlineData("ease")]
    [InlineData("als")]
    public async Task Serializer_RoundTrip_GivesIdenticalRecommendations(string algorithm)
    {
        var interactions = GeneratedLike(out var latest);
        var items = new List<Item> { new("fresh", null, null, DateTimeOffset.FromUnixTimeSeconds(latest)) };
        var model = UserPersonalization.Train(new TrainingData(interactions, items), algorithm == "ease" ? EaseOptions : AlsOptions);
        model.Exploration = new ItemExplorationConfig(0.2, 10);
        using var stream = new MemoryStream();
        ModelArtifact.Create(model, "fp", DateTimeOffset.UnixEpoch).Save(stream);
        stream.Position = 0;

        var loaded = (UserPersonalizationModel)ModelArtifact.Load(stream).Model;

        Assert.Equal(model.Exploration, loaded.Exploration);
        foreach (var user in new[] { "u0", "u3", "u17", "nobody" })
            Assert.Equal(await model.RecommendAsync(new ModelQuery(user, null, 10)), await loaded.RecommendAsync(new ModelQuery(user, null, 10)));
    }

    [Fact]
    public void Recipe_IsRegisteredWithItsSerializer()
    {
        Assert.NotNull(RecipeCatalog.Default.Find("arn:aws:personalize:::recipe/aws-user-personalization"));
        Assert.Contains("aws-user-personalization", ModelPayloadSerializers.Default.Recipes);
        Assert.Contains("aws-sims", ModelPayloadSerializers.Default.Recipes);
    }

    private static InteractionDataset GeneratedLike(out long latest)
    {
        var random = new Random(3);
        var rows = new List<(string, string)>();
        for (var u = 0; u < 40; u++)
            for (var k = 0; k < 6; k++) rows.Add(($"u{u}", $"i{(u % 4) * 10 + random.Next(10)}"));
        var data = TinyData.Build([.. rows]);
        latest = data.Timestamps[^1];
        return data;
    }
}
