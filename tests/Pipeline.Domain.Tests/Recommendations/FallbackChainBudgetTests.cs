using Microsoft.Extensions.Time.Testing;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Domain.Tests.Recommendations;

/// <summary>
/// The serving budget on a fake clock: the variant's model gets exactly its share (60% of 100 ms by default) and the
/// fallback what is left of the 100 ms, measured from the request's start, not from the fallback's.
/// </summary>
public sealed class FallbackChainBudgetTests
{
    [Theory]
    [InlineData(100, 0.6, 60)]
    [InlineData(250, 0.2, 50)]
    public async Task Serve_WhenEveryModelHangs_GivesThePrimaryItsShareAndTheFallbackTheRestOfTheBudget(int budget, double share, int primaryMs)
    {
        var time = new FakeTimeProvider();
        var fallback = new HangingModel(Recipes.PopularityCount, time);
        var models = new ModelRegistry();
        models.Publish(fallback);
        var chain = new FallbackChain(models, new ServingOptions { BudgetMilliseconds = budget, PrimaryShareOfBudget = share }, time);

        var serving = chain.ServeAsync(new HangingModel(Recipes.UserPersonalization, time), new ModelQuery("u", null, 5), null, CancellationToken.None);

        time.Advance(TimeSpan.FromMilliseconds(primaryMs - 1));
        Assert.False(fallback.Asked.Task.IsCompleted, "the fallback was asked before the primary's share was spent");
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(primaryMs), await fallback.Asked.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        time.Advance(TimeSpan.FromMilliseconds(budget - primaryMs - 1));
        Assert.False(serving.IsCompleted, "answered before the budget was spent");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var (items, servedBy) = await serving.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(items);
        Assert.Equal(ServedBy.Fallback(ServedBy.LastGood), servedBy);
    }

    /// <summary>A model that never answers, noting when (on the fake clock) it was asked.</summary>
    private sealed class HangingModel(string recipe, FakeTimeProvider time) : IRecommendationModel
    {
        private readonly DateTimeOffset _start = time.GetUtcNow();

        public TaskCompletionSource<TimeSpan> Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Recipe => recipe;

        public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
        {
            Asked.TrySetResult(time.GetUtcNow() - _start);
            return new ValueTask<IReadOnlyList<ScoredItem>>(new TaskCompletionSource<IReadOnlyList<ScoredItem>>().Task);
        }
    }
}
