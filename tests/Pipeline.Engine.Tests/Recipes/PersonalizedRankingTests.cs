using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Recipes;

public sealed class PersonalizedRankingTests
{
    // 30 users take {a, b}, 30 take {c, d}, 5 take {a, e}; the target user has only seen "a".
    private static InteractionDataset Sample()
    {
        var builder = new InteractionDatasetBuilder();
        var t = 0L;
        for (var u = 0; u < 30; u++) { builder.Add($"ab{u}", "a", t++, "view"); builder.Add($"ab{u}", "b", t++, "view"); }
        for (var u = 0; u < 30; u++) { builder.Add($"cd{u}", "c", t++, "view"); builder.Add($"cd{u}", "d", t++, "view"); }
        for (var u = 0; u < 5; u++) { builder.Add($"ae{u}", "a", t++, "view"); builder.Add($"ae{u}", "e", t++, "view"); }
        builder.Add("target", "a", t, "view");
        return builder.Build();
    }

    private static readonly PersonalizedRankingModel Model = PersonalizedRanking.Train(Sample());

    [Fact]
    public async Task Rank_PutsItemsCoInteractedWithTheHistoryFirst_AndUnknownItemsLastWithoutScore()
    {
        var ranked = await Model.RankAsync("target", ["d", "zzz", "c", "b", "e"]);
        Assert.Equal(["b", "e", "d", "c", "zzz"], ranked.Select(r => r.ItemId));
        Assert.Null(ranked[^1].Score);
        Assert.All(ranked.Take(4), r => Assert.NotNull(r.Score));
        Assert.True(ranked[0].Score > ranked[1].Score && ranked[1].Score > ranked[2].Score);
    }

    [Fact]
    public void MostRecentItem_IsTheUsersNewestTrainingItem_OrNullForStrangers()
    {
        Assert.Equal("b", Model.MostRecentItem("ab3"));
        Assert.Equal("a", Model.MostRecentItem("target"));
        Assert.Null(Model.MostRecentItem("stranger"));
    }

    [Fact]
    public async Task Rank_ScoresOfKnownItemsSumToOne()
    {
        var ranked = await Model.RankAsync("target", ["d", "c", "b", "e", "unknown"]);
        Assert.Equal(1.0, ranked.Sum(r => r.Score ?? 0), precision: 9);
    }

    [Fact]
    public async Task Rank_UserWithoutHistory_GetsPopularityOrderAndInputOrderOnTies()
    {
        var ranked = await Model.RankAsync("stranger", ["e", "d", "b", "a", "c"]);
        Assert.Equal(["a", "d", "b", "c", "e"], ranked.Select(r => r.ItemId));
    }

    [Fact]
    public async Task Rank_KeepsTheFirstOfDuplicates()
    {
        var ranked = await Model.RankAsync("target", ["b", "x", "b", "x"]);
        Assert.Equal(["b", "x"], ranked.Select(r => r.ItemId));
    }

    [Fact]
    public async Task Rank_MoreThan500Items_IsRejectedWithAClearMessage()
    {
        var tooMany = Enumerable.Range(0, 501).Select(i => $"i{i}").ToArray();
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await Model.RankAsync("target", tooMany));
        Assert.StartsWith("The input list has 501 items; a personalized ranking takes at most 500.", error.Message, StringComparison.Ordinal);
        Assert.Equal(500, (await Model.RankAsync("target", tooMany[..500])).Count);
    }

    [Fact]
    public async Task Recommend_RanksTheWholeCatalogForTheUser()
    {
        var top = await Model.RecommendAsync(new ModelQuery("target", null, 2));
        Assert.Equal(["b", "e"], top.Select(s => s.ItemId));
    }

    [Fact]
    public void Train_KeepsAtMostTheConfiguredNeighboursAndHistory()
    {
        var model = PersonalizedRanking.Train(Sample(), new PersonalizedRankingOptions(ItemNeighbors: 1, MaxHistoryLength: 1));
        for (var item = 0; item < model.ItemIds.Count; item++)
            Assert.InRange(model.NeighborOffsets[item + 1] - model.NeighborOffsets[item], 0, 1);
        for (var user = 0; user < model.UserIds.Count; user++)
            Assert.Equal(1, model.HistoryOffsets[user + 1] - model.HistoryOffsets[user]);
    }

    [Fact]
    public void Train_MinCointeractionCount_DropsRareNeighbours()
    {
        var model = PersonalizedRanking.Train(Sample(), new PersonalizedRankingOptions(MinCointeractionCount: 6));
        var a = model.ItemIds.ToList().IndexOf("a");
        var neighbours = Enumerable.Range(model.NeighborOffsets[a], model.NeighborOffsets[a + 1] - model.NeighborOffsets[a])
            .Select(n => model.ItemIds[model.NeighborItems[n]]);
        Assert.Equal(["b"], neighbours);
    }

    [Fact]
    public void Options_RoundTripThroughHyperParameters()
    {
        var options = new PersonalizedRankingOptions(7, 9, 2);
        Assert.Equal(options, PersonalizedRankingOptions.FromHyperParameters(options.ToHyperParameters()));
        Assert.Throws<ArgumentException>(() => PersonalizedRankingOptions.FromHyperParameters(new Dictionary<string, string> { ["item_neighbors"] = "0" }));
    }

    [Fact]
    public void Recipe_IsRegisteredAfterPopularity()
    {
        var names = RecipeCatalog.Default.All.Select(r => r.Name).ToList();
        Assert.True(names.IndexOf("aws-personalized-ranking") > names.IndexOf("aws-popularity-count"));
        Assert.IsType<PersonalizedRankingModel>(RecipeCatalog.Default.Find("arn:aws:personalize:::recipe/aws-personalized-ranking")!
            .Train(new TrainingData(Sample()), new Dictionary<string, string>()));
    }
}
