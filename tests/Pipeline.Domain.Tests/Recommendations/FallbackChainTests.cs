using Microsoft.Extensions.Time.Testing;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Domain.Tests.Recommendations;

/// <summary>
/// The fallback chain with the real registry and options, and models scripted to time out, throw or answer short, on a
/// fake clock (the default budget: 100 ms, 60% of it for the variant's model).
/// </summary>
public sealed class FallbackChainTests
{
    private const string Popularity = Recipes.PopularityCount;
    private const string SecondFallback = "aws-second-fallback";

    private readonly FakeTimeProvider _time = new();

    private static readonly ModelQuery Query = new("user-1", null, 3);

    [Fact]
    public async Task Serve_WhenThePrimaryAnswers_ServesItsListAsThePrimary()
    {
        var chain = Chain([Popularity], ScriptedModel.Answering(Popularity, "pop-1"));

        var (items, servedBy) = await chain.ServeAsync(ScriptedModel.Answering(Recipes.UserPersonalization, "a", "b", "c"), Query, null, CancellationToken.None);

        Assert.Equal(["a", "b", "c"], items.Select(i => i.ItemId));
        Assert.Equal(ServedBy.Primary, servedBy);
    }

    [Fact]
    public async Task Serve_WhenThePrimaryExceedsItsShareOfTheBudget_FallsBackToTheNextModel()
    {
        var fallback = ScriptedModel.Answering(Popularity, "pop-1", "pop-2");
        var chain = Chain([Popularity], fallback);

        var serving = chain.ServeAsync(ScriptedModel.Hanging(Recipes.UserPersonalization), Query, null, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(59));
        Assert.Equal(0, fallback.Calls);
        var (items, servedBy) = await _time.RunUntilDone(serving);

        Assert.Equal(["pop-1", "pop-2"], items.Select(i => i.ItemId));
        Assert.Equal(ServedBy.Fallback(ServedBy.Timeout), servedBy);
    }

    [Fact]
    public async Task Serve_WhenThePrimaryThrows_FallsBackToTheNextModelAsAModelError()
    {
        var chain = Chain([Popularity], ScriptedModel.Answering(Popularity, "pop-1"));

        var (items, servedBy) = await chain.ServeAsync(
            ScriptedModel.Throwing(Recipes.UserPersonalization, new InvalidOperationException("model file is corrupt")), Query, null, CancellationToken.None);

        Assert.Equal(["pop-1"], items.Select(i => i.ItemId));
        Assert.Equal(ServedBy.Fallback(ServedBy.ModelError), servedBy);
    }

    [Fact]
    public async Task Serve_WhenThePrimaryIsUnavailable_FallsBackNamingTheReasonItGave()
    {
        var chain = Chain([Popularity], ScriptedModel.Answering(Popularity, "pop-1"));
        var throttled = new ModelUnavailableException(ServedBy.Throttled, "the campaign refused the request for its rate");

        var (_, servedBy) = await chain.ServeAsync(ScriptedModel.Throwing(Recipes.UserPersonalization, throttled), Query, null, CancellationToken.None);

        Assert.Equal(ServedBy.Fallback(ServedBy.Throttled), servedBy);
    }

    [Fact]
    public async Task Serve_WhenThePrimaryReturnsFewerItemsThanAsked_ServesItsShortListWithoutFallingBack()
    {
        // A short list is an answer (the catalog may hold fewer items than asked for): the chain does not top it up.
        var fallback = ScriptedModel.Answering(Popularity, "pop-1", "pop-2", "pop-3");
        var chain = Chain([Popularity], fallback);

        var (items, servedBy) = await chain.ServeAsync(ScriptedModel.Answering(Recipes.UserPersonalization, "only-one"), Query, null, CancellationToken.None);

        Assert.Equal(["only-one"], items.Select(i => i.ItemId));
        Assert.Equal(ServedBy.Primary, servedBy);
        Assert.Equal(0, fallback.Calls);
    }

    [Fact]
    public async Task Serve_WhenTheFirstFallbackFailsToo_AsksTheNextOneWithTheReasonThePrimaryFailed()
    {
        var chain = Chain([Popularity, SecondFallback],
            ScriptedModel.Throwing(Popularity, new InvalidOperationException("popularity is broken")), ScriptedModel.Answering(SecondFallback, "second-1"));

        var serving = chain.ServeAsync(ScriptedModel.Hanging(Recipes.UserPersonalization), Query, null, CancellationToken.None);
        var (items, servedBy) = await _time.RunUntilDone(serving);

        Assert.Equal(["second-1"], items.Select(i => i.ItemId));
        Assert.Equal(ServedBy.Fallback(ServedBy.Timeout), servedBy);
    }

    [Fact]
    public async Task Serve_WhenTheBudgetIsSpentBeforeTheLastFallback_DoesNotWaitForIt()
    {
        // The primary takes its 60 ms, the first fallback the 40 ms left: the second is asked with nothing left.
        var slow = ScriptedModel.AnsweringAfter(SecondFallback, TimeSpan.FromMilliseconds(1), _time, "slow-1");
        var chain = Chain([Popularity, SecondFallback], ScriptedModel.Hanging(Popularity), slow);

        var (items, servedBy) = await _time.RunUntilDone(chain.ServeAsync(ScriptedModel.Hanging(Recipes.UserPersonalization), Query, null, CancellationToken.None));

        Assert.Equal(1, slow.Calls);
        Assert.Empty(items);
        Assert.Equal(ServedBy.Fallback(ServedBy.LastGood), servedBy);
    }

    [Fact]
    public async Task Serve_WhenTheBudgetIsSpentBeforeTheLastFallback_StillServesItIfItAnswersAtOnce()
    {
        var chain = Chain([Popularity, SecondFallback], ScriptedModel.Hanging(Popularity), ScriptedModel.Answering(SecondFallback, "at-once-1"));

        var (items, servedBy) = await _time.RunUntilDone(chain.ServeAsync(ScriptedModel.Hanging(Recipes.UserPersonalization), Query, null, CancellationToken.None));

        Assert.Equal(["at-once-1"], items.Select(i => i.ItemId));
        Assert.Equal(ServedBy.Fallback(ServedBy.Timeout), servedBy);
    }

    [Fact]
    public async Task Serve_WhenEveryModelFails_RepeatsTheLastGoodListCutToTheRequestedLength()
    {
        var answers = true;
        var fallback = new ScriptedModel(Popularity, _ => answers
            ? ValueTask.FromResult<IReadOnlyList<ScoredItem>>([new("pop-1", 5), new("pop-2", 4), new("pop-3", 3), new("pop-4", 2), new("pop-5", 1)])
            : throw new InvalidOperationException("popularity is broken"));
        var chain = Chain([Popularity], fallback);
        var broken = ScriptedModel.Throwing(Recipes.UserPersonalization, new InvalidOperationException("model file is corrupt"));
        await chain.ServeAsync(broken, Query with { NumResults = 5 }, null, CancellationToken.None);
        answers = false;

        var (items, servedBy) = await chain.ServeAsync(broken, Query, null, CancellationToken.None);

        Assert.Equal(["pop-1", "pop-2", "pop-3"], items.Select(i => i.ItemId));
        Assert.Equal(ServedBy.Fallback(ServedBy.LastGood), servedBy);
    }

    [Fact]
    public async Task Serve_WhenNoModelIsTrained_SaysNotTrainedRatherThanLastGood()
    {
        var chain = Chain([Popularity]);

        var (items, servedBy) = await chain.ServeAsync(null, Query, null, CancellationToken.None);

        Assert.Empty(items);
        Assert.Equal(ServedBy.Fallback(ServedBy.NotTrained), servedBy);
    }

    private FallbackChain Chain(string[] fallbackRecipes, params ScriptedModel[] fallbacks)
    {
        var models = new ModelRegistry();
        foreach (var fallback in fallbacks) models.Publish(fallback);
        return new FallbackChain(models, new ServingOptions { FallbackRecipes = fallbackRecipes }, _time);
    }
}
