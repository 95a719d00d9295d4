using Pipeline.Domain.Recommendations;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// A trained aws-popularity-count model: the same ranked list for everyone. Scores are count / top count,
/// precomputed, so serving hands out a slice of one array. It also ranks a caller's candidates by popularity
/// (the fallback of POST /rankings); items it never counted come last without a score.
/// </summary>
public sealed class PopularityCountModel : IRankingModel
{
    private readonly string[] _itemIds;
    private readonly int[] _distinctUsers;
    private readonly ScoredItem[] _ranked;
    private readonly Lazy<Dictionary<string, int>> _rankOf;

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
        // Built on the first ranking request only: recommendations never need it.
        _rankOf = new Lazy<Dictionary<string, int>>(() =>
        {
            var lookup = new Dictionary<string, int>(rankedItemIds.Length, StringComparer.Ordinal);
            for (var i = 0; i < rankedItemIds.Length; i++) lookup.TryAdd(rankedItemIds[i], i);
            return lookup;
        });
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

    /// <summary>The candidates by descending popularity (ties keep input order), unknown items last without a score.</summary>
    public ValueTask<IReadOnlyList<RankedItem>> RankAsync(string userId, IReadOnlyList<string> itemIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        if (itemIds.Count > IRankingModel.MaxInputItems)
            throw new ArgumentException(
                $"The input list has {itemIds.Count} items; a personalized ranking takes at most {IRankingModel.MaxInputItems}.", nameof(itemIds));
        var rankOf = _rankOf.Value;
        var seen = new HashSet<string>(itemIds.Count, StringComparer.Ordinal);
        var known = new List<(int Rank, int Order)>(itemIds.Count);
        var unknown = new List<string>();
        foreach (var itemId in itemIds)
        {
            ArgumentNullException.ThrowIfNull(itemId, nameof(itemIds));
            if (!seen.Add(itemId)) continue;
            if (rankOf.TryGetValue(itemId, out var rank)) known.Add((rank, known.Count));
            else unknown.Add(itemId);
        }
        // Rank order is popularity order; equal counts keep the caller's order among themselves.
        known.Sort((a, b) => _distinctUsers[a.Rank] != _distinctUsers[b.Rank]
            ? _distinctUsers[b.Rank].CompareTo(_distinctUsers[a.Rank])
            : a.Order.CompareTo(b.Order));
        var ranked = new RankedItem[known.Count + unknown.Count];
        for (var i = 0; i < known.Count; i++) ranked[i] = new RankedItem(_ranked[known[i].Rank].ItemId, _ranked[known[i].Rank].Score);
        for (var i = 0; i < unknown.Count; i++) ranked[known.Count + i] = new RankedItem(unknown[i], null);
        return ValueTask.FromResult<IReadOnlyList<RankedItem>>(ranked);
    }
}
