using Microsoft.Extensions.Time.Testing;
using Pipeline.Domain.Recommendations;
using Pipeline.Domain.Recommendations.Ranking;

namespace Pipeline.Domain.Tests.Recommendations.Ranking;

/// <summary>
/// The ranking chain with the real registry and options, and ranking models scripted to time out, throw or answer short,
/// on a fake clock (the default budget: 100 ms, 60% of it for the variant's model).
/// </summary>
public sealed class RankingChainTests
{
    private const string Popularity = Recipes.PopularityCount;
    private const string SecondFallback = "aws-second-fallback";
    private static readonly string[] Candidates = ["i-1", "i-2", "i-3"];

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Rank_WhenThePrimaryExceedsItsShareOfTheBudget_FallsBackToTheNextRankingModel()
    {
        var chain = Chain([Popularity], ScriptedRankingModel.Reversing(Popularity));

        var ranking = chain.RankAsync(ScriptedRankingModel.Hanging(Recipes.PersonalizedRanking), "user-1", Candidates, CancellationToken.None);
        var (items, servedBy) = await _time.RunUntilDone(ranking);

        Assert.Equal(["i-3", "i-2", "i-1"], items.Select(i => i.ItemId));
        Assert.Equal(ServedBy.Fallback(ServedBy.Timeout), servedBy);
    }

    [Fact]
    public async Task Rank_WhenThePrimaryThrows_FallsBackToTheNextRankingModelAsAModelError()
    {
        var chain = Chain([Popularity], ScriptedRankingModel.Reversing(Popularity));

        var (items, servedBy) = await chain.RankAsync(
            ScriptedRankingModel.Throwing(Recipes.PersonalizedRanking, new InvalidOperationException("model file is corrupt")), "user-1", Candidates, CancellationToken.None);

        Assert.Equal(["i-3", "i-2", "i-1"], items.Select(i => i.ItemId));
        Assert.Equal(ServedBy.Fallback(ServedBy.ModelError), servedBy);
    }

    [Fact]
    public async Task Rank_WhenThePrimaryReturnsFewerItemsThanGiven_ServesItsRankingWithoutFallingBack()
    {
        var fallback = ScriptedRankingModel.Reversing(Popularity);
        var chain = Chain([Popularity], fallback);

        var (items, servedBy) = await chain.RankAsync(ScriptedRankingModel.KeepingOnlyTheFirst(Recipes.PersonalizedRanking), "user-1", Candidates, CancellationToken.None);

        Assert.Equal(["i-1"], items.Select(i => i.ItemId));
        Assert.Equal(ServedBy.Primary, servedBy);
        Assert.Equal(0, fallback.Calls);
    }

    [Fact]
    public async Task Rank_WhenTheBudgetIsSpentBeforeTheLastFallback_DoesNotWaitForItAndKeepsTheGivenOrder()
    {
        var slow = ScriptedRankingModel.ReversingAfter(SecondFallback, TimeSpan.FromMilliseconds(1), _time);
        var chain = Chain([Popularity, SecondFallback], ScriptedRankingModel.Hanging(Popularity), slow);

        var (items, servedBy) = await _time.RunUntilDone(
            chain.RankAsync(ScriptedRankingModel.Hanging(Recipes.PersonalizedRanking), "user-1", ["i-1", "i-2", "i-1"], CancellationToken.None));

        Assert.Equal(1, slow.Calls);
        Assert.Equal([new RankedItem("i-1", null), new RankedItem("i-2", null)], items);
        Assert.Equal(ServedBy.Fallback(ServedBy.Timeout), servedBy);
    }

    [Fact]
    public async Task Rank_WhenNoFallbackCanRank_KeepsTheGivenOrderWithTheReasonThePrimaryFailed()
    {
        // A recommendation model under a fallback recipe cannot rank: it is passed over.
        var models = new ModelRegistry();
        models.Publish(ScriptedModel.Answering(Popularity, "pop-1"));
        var chain = new RankingChain(models, new ServingOptions { FallbackRecipes = [Popularity] }, _time);

        var (items, servedBy) = await chain.RankAsync(null, "user-1", Candidates, CancellationToken.None);

        Assert.Equal(Candidates, items.Select(i => i.ItemId));
        Assert.All(items, item => Assert.Null(item.Score));
        Assert.Equal(ServedBy.Fallback(ServedBy.NotTrained), servedBy);
    }

    private RankingChain Chain(string[] fallbackRecipes, params ScriptedRankingModel[] fallbacks)
    {
        var models = new ModelRegistry();
        foreach (var fallback in fallbacks) models.Publish(fallback);
        return new RankingChain(models, new ServingOptions { FallbackRecipes = fallbackRecipes }, _time);
    }
}
