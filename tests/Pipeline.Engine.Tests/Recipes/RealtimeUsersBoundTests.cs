using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Recipes;

/// <summary>The real-time state of aws-user-personalization keeps at most MaxRealtimeUsers users (issue #18 item 12).</summary>
public sealed class RealtimeUsersBoundTests
{
    private static UserPersonalizationModel Train() =>
        UserPersonalization.Train(new TrainingData(TinyData.FiveUsers()), new UserPersonalizationOptions("ease", Lambda: 1.0));

    private static string[] Ids(IReadOnlyList<ScoredItem> items) => [.. items.Select(i => i.ItemId)];

    [Fact]
    public void Record_ForMoreUsersThanTheBound_KeepsAtMostTheBound_AndTheMostRecentHalf()
    {
        const int bound = 100;
        var model = Train();
        model.MaxRealtimeUsers = bound;

        for (var u = 0; u < bound * 5 + 7; u++) model.Record($"new-{u}", "D", "view", DateTimeOffset.UnixEpoch);

        Assert.InRange(model.RealtimeUserCount, bound / 2, bound);
        for (var u = bound * 5 + 7 - bound / 2; u < bound * 5 + 7; u++) Assert.Equal(["D"], model.Current($"new-{u}").Items.Select(i => model.ItemIds[i]));
    }

    [Fact]
    public async Task Recommend_ForAUserWhoseEventsWereForgotten_ServesTheirTrainedHistoryOrColdStart()
    {
        var model = Train();
        model.MaxRealtimeUsers = 4;
        var trained = Ids(await model.RecommendAsync(new ModelQuery("u2", null, 2)));
        var cold = Ids(await model.RecommendAsync(new ModelQuery("stranger", null, 2)));

        model.Record("u2", "D", "view", DateTimeOffset.UnixEpoch);
        model.Record("stranger", "D", "view", DateTimeOffset.UnixEpoch);
        Assert.DoesNotContain("D", Ids(await model.RecommendAsync(new ModelQuery("u2", null, 2))));
        for (var u = 0; u < 4; u++) model.Record($"other-{u}", "A", "view", DateTimeOffset.UnixEpoch);

        Assert.Equal(trained, Ids(await model.RecommendAsync(new ModelQuery("u2", null, 2))));
        Assert.Equal(cold, Ids(await model.RecommendAsync(new ModelQuery("stranger", null, 2))));
        model.Record("u2", "C", "view", DateTimeOffset.UnixEpoch);
        Assert.Equal(["C"], model.Current("u2").Items.Select(i => model.ItemIds[i]).TakeLast(1));
    }

    [Fact]
    public void Record_ForAUserReadSinceTheLastRotation_KeepsThem()
    {
        var model = Train();
        model.MaxRealtimeUsers = 10;
        model.Record("regular", "D", "view", DateTimeOffset.UnixEpoch);

        for (var u = 0; u < 50; u++)
        {
            model.Record($"passer-{u}", "A", "view", DateTimeOffset.UnixEpoch);
            Assert.Contains(model.FindItem("D"), model.Current("regular").Items);
        }
    }

    [Fact]
    public void Record_ManyItemsTheModelDoesNotKnow_KeepsTheNewestMaxHistoryLength()
    {
        var model = Train();

        for (var i = 0; i < UserPersonalizationModel.MaxHistoryLength + 100; i++) model.Record("collector", $"unknown-{i}", "view", DateTimeOffset.UnixEpoch);

        var unknown = model.Current("collector").UnknownItems;
        Assert.Equal(UserPersonalizationModel.MaxHistoryLength, unknown.Length);
        Assert.Equal($"unknown-{UserPersonalizationModel.MaxHistoryLength + 99}", unknown[^1]);
    }

    [Fact]
    public void MaxRealtimeUsers_BelowTwo_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Train().MaxRealtimeUsers = 1);
}
