using Pipeline.Domain.Recommendations;

namespace Pipeline.Domain.Tests.Recommendations;

/// <summary>
/// A model whose behaviour the test sets (a list, a failure, no answer, an answer after a while on the test's clock); it
/// notes each time it is asked, so a test can wait for the chain to reach it.
/// </summary>
internal sealed class ScriptedModel(string recipe, Func<ModelQuery, ValueTask<IReadOnlyList<ScoredItem>>> behaviour) : IRecommendationModel
{
    private int _calls;

    public string Recipe => recipe;

    public int Calls => _calls;

    public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        Asked.TrySetResult();
        return behaviour(query);
    }

    /// <summary>Answers at once (as the in-process engine does), best first.</summary>
    public static ScriptedModel Answering(string recipe, params string[] itemIds) =>
        new(recipe, _ => ValueTask.FromResult(List(itemIds)));

    public static ScriptedModel Throwing(string recipe, Exception exception) => new(recipe, _ => throw exception);

    /// <summary>Never answers: only the budget ends the call.</summary>
    public static ScriptedModel Hanging(string recipe) =>
        new(recipe, _ => new ValueTask<IReadOnlyList<ScoredItem>>(new TaskCompletionSource<IReadOnlyList<ScoredItem>>().Task));

    /// <summary>Answers once <paramref name="delay"/> has passed on <paramref name="time"/> (a remote campaign).</summary>
    public static ScriptedModel AnsweringAfter(string recipe, TimeSpan delay, TimeProvider time, params string[] itemIds) =>
        new(recipe, async _ =>
        {
            await Task.Delay(delay, time);
            return List(itemIds);
        });

    private static IReadOnlyList<ScoredItem> List(string[] itemIds) => [.. itemIds.Select((id, rank) => new ScoredItem(id, itemIds.Length - rank))];
}
