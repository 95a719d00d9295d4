using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Evaluation;

/// <summary>
/// Evaluates a similar-items model (aws-sims) as it is served: GetRecommendations with an item, here each test
/// user's latest training item (the newest row; ties go to the later row), so the held-out items are scored
/// against that item's neighbours. Users without training rows are asked without an item, as a cold request is.
/// </summary>
public sealed class LatestItemSeededModel : IRecommendationModel
{
    private readonly IRecommendationModel _inner;
    private readonly Dictionary<string, string> _latest;

    public LatestItemSeededModel(IRecommendationModel inner, InteractionDataset training)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(training);
        _inner = inner;
        var newest = new Dictionary<int, (long Time, int Item)>();
        var users = training.UserIndex;
        var items = training.ItemIndex;
        var times = training.Timestamps;
        for (var row = 0; row < training.Count; row++)
            if (!newest.TryGetValue(users[row], out var current) || times[row] >= current.Time) newest[users[row]] = (times[row], items[row]);
        _latest = newest.ToDictionary(p => training.UserIds[p.Key], p => training.ItemIds[p.Value.Item], StringComparer.Ordinal);
    }

    public string Recipe => _inner.Recipe;

    /// <summary>The item a user's evaluation query is seeded with, or null.</summary>
    public string? SeedOf(string userId) => _latest.GetValueOrDefault(userId);

    public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _inner.RecommendAsync(query with { ItemId = query.ItemId ?? SeedOf(query.UserId) }, cancellationToken);
    }
}
