using Pipeline.Domain.Catalog;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Models;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Recipes;

public sealed class HistoryWeightingTests
{
    private static readonly Dictionary<string, float> PurchaseHeavy = new(StringComparer.Ordinal) { ["purchase"] = 8 };

    /// <summary>
    /// Two clusters, {A, B, C} and {X, Y, Z}, of equal size; "mixed" viewed A (older) and then X, and "buyer" purchased
    /// A (older) and then viewed X. Their unseen items are B and C (A's cluster, tied) and Y and Z (X's, tied).
    /// </summary>
    private static InteractionDataset Clusters()
    {
        var builder = new InteractionDatasetBuilder();
        var time = 1_700_000_000L;
        for (var u = 0; u < 20; u++)
        {
            foreach (var item in new[] { "A", "B", "C" }) builder.Add($"a{u}", item, time++, "view");
            foreach (var item in new[] { "X", "Y", "Z" }) builder.Add($"x{u}", item, time++, "view");
        }
        builder.Add("mixed", "A", time++, "view");
        builder.Add("mixed", "X", time++, "view");
        builder.Add("buyer", "A", time++, "view");
        builder.Add("buyer", "A", time++, "purchase");
        builder.Add("buyer", "X", time++, "view");
        return builder.Build();
    }

    private static UserPersonalizationModel Train(IReadOnlyDictionary<string, float> eventTypeWeights, double halfLife, double categoryWeight = 0,
        IReadOnlyList<Item>? items = null) =>
        UserPersonalization.Train(new TrainingData(Clusters(), items),
            new UserPersonalizationOptions("ease", 1.0, EventTypeWeights: eventTypeWeights, RecencyHalfLife: halfLife, CategoryWeight: categoryWeight));

    private static async Task<double> ScoreOf(UserPersonalizationModel model, string user, string item) =>
        (await model.RecommendAsync(new ModelQuery(user, null, 10))).Single(i => i.ItemId == item).Score;

    [Fact]
    public async Task Recommend_WithRecencyHalfLife_FavoursTheClusterOfTheNewestItem()
    {
        var neutral = Train(HistoryWeighting.Neutral.EventTypeWeights, 0);
        var recent = Train(HistoryWeighting.Neutral.EventTypeWeights, 1);

        Assert.Equal(await ScoreOf(neutral, "mixed", "C"), await ScoreOf(neutral, "mixed", "Y"), 5);
        Assert.True(await ScoreOf(recent, "mixed", "Y") > await ScoreOf(recent, "mixed", "C"));
        Assert.Contains((await recent.RecommendAsync(new ModelQuery("mixed", null, 1)))[0].ItemId, new[] { "Y", "Z" });
    }

    [Fact]
    public async Task Recommend_WithEventTypeWeights_FavoursTheClusterOfThePurchasedItem()
    {
        var model = Train(PurchaseHeavy, 0);

        Assert.Contains((await model.RecommendAsync(new ModelQuery("buyer", null, 1)))[0].ItemId, new[] { "B", "C" });
        Assert.True(await ScoreOf(model, "buyer", "C") > await ScoreOf(model, "buyer", "Y"));
    }

    [Fact]
    public async Task Record_RealtimePurchase_WeighsLikeATrainingPurchase()
    {
        var model = Train(PurchaseHeavy, 0);

        model.Record("mixed", "X", "purchase", DateTimeOffset.UtcNow);

        Assert.Contains((await model.RecommendAsync(new ModelQuery("mixed", null, 1)))[0].ItemId, new[] { "Y", "Z" });
        Assert.Equal([1f, 8f], model.Current("mixed").TypeWeights);
    }

    [Fact]
    public void Record_RepeatOfAnOlderItem_MovesItToNewestAndKeepsItsStrongestType()
    {
        var model = Train(PurchaseHeavy, 0);
        Assert.Equal(["A", "X"], model.Current("buyer").Items.Select(i => model.ItemIds[i]));
        Assert.Equal([8f, 1f], model.Current("buyer").TypeWeights);

        model.Record("buyer", "A", "view", DateTimeOffset.UtcNow);

        Assert.Equal(["X", "A"], model.Current("buyer").Items.Select(i => model.ItemIds[i]));
        Assert.Equal([1f, 8f], model.Current("buyer").TypeWeights);
    }

    [Fact]
    public void Record_MoreDistinctItemsThanTheBound_KeepsTheMostRecent()
    {
        var builder = new InteractionDatasetBuilder();
        for (var i = 0; i < UserPersonalizationModel.MaxHistoryLength + 10; i++)
        {
            builder.Add("u0", $"i{i}", 1_700_000_000 + i, "view");
            builder.Add("u1", $"i{i}", 1_700_000_000 + i, "view");
        }
        var model = UserPersonalization.Train(new TrainingData(builder.Build()),
            new UserPersonalizationOptions("ease", 1.0, EventTypeWeights: HistoryWeighting.Neutral.EventTypeWeights, RecencyHalfLife: 0, CategoryWeight: 0));

        model.Record("newcomer", "i0", "view", DateTimeOffset.UtcNow);
        for (var i = 1; i < UserPersonalizationModel.MaxHistoryLength + 10; i++) model.Record("newcomer", $"i{i}", "view", DateTimeOffset.UtcNow);

        var history = model.Current("newcomer").Items;
        Assert.Equal(UserPersonalizationModel.MaxHistoryLength, history.Length);
        Assert.Equal("i10", model.ItemIds[history[0]]);
        Assert.Equal($"i{UserPersonalizationModel.MaxHistoryLength + 9}", model.ItemIds[history[^1]]);
    }

    [Fact]
    public async Task Recommend_WithCategoryWeight_AddsTheCategoryTasteOfTheHistory()
    {
        var items = new List<Item>
        {
            new("A", "red", null, null), new("B", "red", null, null), new("C", "red", null, null),
            new("X", "blue", null, null), new("Y", "blue", null, null), new("Z", "blue", null, null),
        };
        var plain = Train(HistoryWeighting.Neutral.EventTypeWeights, 0, 0, items);
        var blended = Train(HistoryWeighting.Neutral.EventTypeWeights, 0, 3, items);

        // mixed: one red item (A), one blue (X); C has 20 of red's 62 users (A 22, B 20, C 20), so it gains 3 × 1 × 20/62.
        Assert.Equal(await ScoreOf(plain, "mixed", "C") + 3.0 * 20 / 62, await ScoreOf(blended, "mixed", "C"), 4);
        Assert.NotNull(blended.Categories);
    }

    [Fact]
    public async Task Serializer_RoundTrip_KeepsWeightsOrderAndCategories()
    {
        var items = new List<Item> { new("A", "red", null, null), new("X", "blue", null, null) };
        var model = UserPersonalization.Train(new TrainingData(Clusters(), items),
            new UserPersonalizationOptions("ease", 1.0, EventTypeWeights: PurchaseHeavy, RecencyHalfLife: 2, CategoryWeight: 0.5));
        using var stream = new MemoryStream();
        ModelArtifact.Create(model, "fp", DateTimeOffset.UnixEpoch).Save(stream);
        stream.Position = 0;

        var loaded = (UserPersonalizationModel)ModelArtifact.Load(stream).Model;

        Assert.Equal(model.UserItems, loaded.UserItems);
        Assert.Equal(model.UserItemWeights, loaded.UserItemWeights);
        Assert.Equal(model.Categories!.ItemCategory, loaded.Categories!.ItemCategory);
        Assert.Equal(model.Options.ToHyperParameters(), loaded.Options.ToHyperParameters());
        foreach (var user in new[] { "buyer", "mixed", "a3" })
            Assert.Equal(await model.RecommendAsync(new ModelQuery(user, null, 5)), await loaded.RecommendAsync(new ModelQuery(user, null, 5)));
    }

    [Theory]
    [InlineData("purchase")]
    [InlineData("purchase:0")]
    [InlineData("purchase:2,purchase:3")]
    [InlineData("purchase:abc")]
    public void Options_MalformedEventTypeWeights_AreRejectedNamingTheHyperparameter(string text)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            UserPersonalizationOptions.From(new Dictionary<string, string> { [UserPersonalizationOptions.EventTypeWeightsName] = text }));
        Assert.Contains(UserPersonalizationOptions.EventTypeWeightsName, error.Message);
    }

    [Fact]
    public void Options_EventTypeWeightsAndHalfLife_RoundTripThroughHyperparameters()
    {
        var options = UserPersonalizationOptions.From(new Dictionary<string, string>
        {
            [UserPersonalizationOptions.EventTypeWeightsName] = "view:1,click:2.5,purchase:4",
            [UserPersonalizationOptions.RecencyHalfLifeName] = "20",
            [UserPersonalizationOptions.CategoryWeightName] = "0.3",
        });

        var again = UserPersonalizationOptions.From(options.ToHyperParameters());

        Assert.Equal(2.5f, again.Weighting.WeightOf("click"));
        Assert.Equal(1f, again.Weighting.WeightOf("unnamed"));
        Assert.Equal(20, again.RecencyHalfLife);
        Assert.Equal(0.3, again.CategoryWeight);
    }

    [Fact]
    public void RecencyHistories_OrderByLatestEventAndKeepTheStrongestType()
    {
        var builder = new InteractionDatasetBuilder();
        builder.Add("u", "A", 10, "view");
        builder.Add("u", "B", 20, "purchase");
        builder.Add("u", "A", 30, "click");
        builder.Add("u", "C", 25, "view");
        var data = builder.Build();
        var matrix = FeedbackMatrix.From(data);
        var weighting = new HistoryWeighting(new Dictionary<string, float> { ["click"] = 2, ["purchase"] = 5 }, 0);

        var (items, weights) = RecencyHistories.Build(data, matrix, weighting);

        Assert.Equal(["B", "C", "A"], items.Select(i => matrix.ItemIds[i]));
        Assert.Equal([5f, 1f, 2f], weights);
    }

    [Fact]
    public void Apply_HalvesTheWeightEveryHalfLifePositions()
    {
        var weighting = new HistoryWeighting(HistoryWeighting.Neutral.EventTypeWeights, 2);
        var result = new float[5];

        HistoryWeighting.Apply([1, 1, 1, 1, 3], weighting.DecayPerPosition, result);

        Assert.Equal([0.25f, 0.3536f, 0.5f, 0.7071f, 3f], result.Select(r => MathF.Round(r, 4)));
    }
}
