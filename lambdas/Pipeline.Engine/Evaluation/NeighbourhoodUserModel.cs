using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Numerics;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Evaluation;

/// <summary>
/// Evaluation adapter for item-to-item models (aws-sims, item-kNN): a user's score for item j is the sum of
/// similarity(i, j) over the items i in their training history; history excluded, cold users get popular items.
/// </summary>
public sealed class NeighbourhoodUserModel(string recipe, FeedbackMatrix training, ItemNeighbours neighbours) : IRecommendationModel
{
    private readonly Dictionary<string, int> _users = training.UserIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
    private readonly int[] _popular = training.ItemsByPopularity();

    public string Recipe { get; } = recipe;

    public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
    {
        var n = training.ItemCount;
        if (!_users.TryGetValue(query.UserId, out var user))
            return ValueTask.FromResult<IReadOnlyList<ScoredItem>>([.. _popular.Take(query.NumResults).Select(i => new ScoredItem(training.ItemIds[i], 0))]);
        var scores = new float[n];
        foreach (var item in training.ItemsOf(user))
        {
            var ids = neighbours.NeighboursOf(item);
            var sims = neighbours.ScoresOf(item);
            for (var r = 0; r < ids.Length; r++) scores[ids[r]] += sims[r];
        }
        // A tiny popularity prior orders items no neighbour reached, instead of leaving them to index order.
        var top = Math.Max(1, training.Popularity(_popular[0]));
        for (var j = 0; j < n; j++) scores[j] += 1e-6f * training.Popularity(j) / top;
        foreach (var item in training.ItemsOf(user)) scores[item] = float.NegativeInfinity;
        var k = Math.Min(query.NumResults, n);
        var indices = new int[k];
        var values = new float[k];
        var found = TopK.Select(scores, indices, values);
        return ValueTask.FromResult<IReadOnlyList<ScoredItem>>([.. Enumerable.Range(0, found).Select(r => new ScoredItem(training.ItemIds[indices[r]], values[r]))]);
    }
}
