using Pipeline.Domain.Recommendations;

namespace Pipeline.Domain.Tests.Recommendations.Ranking;

/// <summary>A ranking model whose behaviour the test sets: a ranking, a failure, or no answer at all.</summary>
internal sealed class ScriptedRankingModel(string recipe, Func<IReadOnlyList<string>, ValueTask<IReadOnlyList<RankedItem>>> behaviour) : IRankingModel
{
    private int _calls;

    public string Recipe => recipe;

    public int Calls => _calls;

    public ValueTask<IReadOnlyList<RankedItem>> RankAsync(string userId, IReadOnlyList<string> itemIds, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return behaviour(itemIds);
    }

    // The ranking chain never asks a ranking model for recommendations; a test that did would be testing something else.
    public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the ranking chain only ranks");

    /// <summary>Ranks the candidates in reverse, at once, scored by position.</summary>
    public static ScriptedRankingModel Reversing(string recipe) =>
        new(recipe, ids => ValueTask.FromResult<IReadOnlyList<RankedItem>>([.. ids.Reverse().Select((id, rank) => new RankedItem(id, ids.Count - rank))]));

    /// <summary>Ranks only the first candidate.</summary>
    public static ScriptedRankingModel KeepingOnlyTheFirst(string recipe) =>
        new(recipe, ids => ValueTask.FromResult<IReadOnlyList<RankedItem>>([new RankedItem(ids[0], 1)]));

    public static ScriptedRankingModel Throwing(string recipe, Exception exception) => new(recipe, _ => throw exception);

    public static ScriptedRankingModel Hanging(string recipe) =>
        new(recipe, _ => new ValueTask<IReadOnlyList<RankedItem>>(new TaskCompletionSource<IReadOnlyList<RankedItem>>().Task));

    /// <summary>Ranks in reverse once <paramref name="delay"/> has passed on <paramref name="time"/> (a remote campaign).</summary>
    public static ScriptedRankingModel ReversingAfter(string recipe, TimeSpan delay, TimeProvider time) =>
        new(recipe, async ids =>
        {
            await Task.Delay(delay, time);
            return [.. ids.Reverse().Select((id, rank) => new RankedItem(id, ids.Count - rank))];
        });
}
