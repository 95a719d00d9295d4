using Pipeline.Domain.Recommendations;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// A trained aws-popularity-count model: the same ranked list for everyone. Scores are count / top count,
/// precomputed, so serving hands out a slice of one array.
/// </summary>
public sealed class PopularityCountModel : IRecommendationModel
{
    private readonly string[] _itemIds;
    private readonly int[] _distinctUsers;
    private readonly ScoredItem[] _ranked;

    public PopularityCountModel(string[] rankedItemIds, int[] distinctUserCounts, PopularityCountOptions options)
    {
        ArgumentNullException.ThrowIfNull(rankedItemIds);
        ArgumentNullException.ThrowIfNull(distinctUserCounts);
        if (rankedItemIds.Length != distinctUserCounts.Length)
            throw new ArgumentException("every ranked item needs a count", nameof(distinctUserCounts));
        for (var i = 1; i < distinctUserCounts.Length; i++)
            if (distinctUserCounts[i] > distinctUserCounts[i - 1])
                throw new ArgumentException("items must be ranked by descending count", nameof(distinctUserCounts));
        _itemIds = rankedItemIds;
        _distinctUsers = distinctUserCounts;
        Options = options;
        var top = distinctUserCounts.Length > 0 ? (double)distinctUserCounts[0] : 1.0;
        _ranked = new ScoredItem[rankedItemIds.Length];
        for (var i = 0; i < _ranked.Length; i++) _ranked[i] = new ScoredItem(rankedItemIds[i], distinctUserCounts[i] / top);
    }

    public string Recipe => RecipeNames.PopularityCount;

    public PopularityCountOptions Options { get; }

    /// <summary>Item ids, most popular first.</summary>
    public IReadOnlyList<string> RankedItemIds => _itemIds;

    /// <summary>Distinct users per ranked item, aligned with <see cref="RankedItemIds"/>.</summary>
    public IReadOnlyList<int> DistinctUserCounts => _distinctUsers;

    public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.NumResults < 0) throw new ArgumentOutOfRangeException(nameof(query), "NumResults must not be negative");
        var count = Math.Min(query.NumResults, _ranked.Length);
        return ValueTask.FromResult<IReadOnlyList<ScoredItem>>(new ArraySegment<ScoredItem>(_ranked, 0, count));
    }
}
