using Pipeline.Domain.Recommendations;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// A trained aws-trending-now model: the same list for everyone, precomputed. An item's trend is its increase
/// measured in the earlier interval's Poisson standard deviations, (recent - previous) / sqrt(previous + smoothing):
/// a large relative jump on a small base and a large absolute jump on a big base both rank, a blip from 0 to 1
/// does not. Trending items (increase above zero) come first with trend / top trend as score; the rest follow by
/// activity over both intervals, then overall, with score 0, so a request can still be filled.
/// </summary>
public sealed class TrendingNowModel : IRecommendationModel
{
    private readonly string[] _itemIds;
    private readonly int[] _recent;
    private readonly int[] _previous;
    private readonly int[] _total;
    private readonly ScoredItem[] _ranked;

    /// <param name="itemIds">Every item with at least one interaction, in any order.</param>
    /// <param name="windowEnd">The newest timestamp of the training data (epoch seconds): the end of the latest interval.</param>
    public TrendingNowModel(string[] itemIds, int[] recentCounts, int[] previousCounts, int[] totalCounts, long windowEnd, TrendingNowOptions options)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        ArgumentNullException.ThrowIfNull(recentCounts);
        ArgumentNullException.ThrowIfNull(previousCounts);
        ArgumentNullException.ThrowIfNull(totalCounts);
        ArgumentNullException.ThrowIfNull(options);
        if (recentCounts.Length != itemIds.Length || previousCounts.Length != itemIds.Length || totalCounts.Length != itemIds.Length)
            throw new ArgumentException("every item needs a recent, previous and total count", nameof(itemIds));
        for (var i = 0; i < itemIds.Length; i++)
            if (recentCounts[i] < 0 || previousCounts[i] < 0 || totalCounts[i] < recentCounts[i] + previousCounts[i])
                throw new ArgumentException($"inconsistent counts for item '{itemIds[i]}'", nameof(totalCounts));
        _itemIds = itemIds;
        _recent = recentCounts;
        _previous = previousCounts;
        _total = totalCounts;
        WindowEnd = windowEnd;
        Options = options;
        _ranked = Rank();
    }

    public string Recipe => RecipeNames.TrendingNow;

    public TrendingNowOptions Options { get; }

    /// <summary>Epoch seconds at which the latest interval ends (the training data's newest timestamp).</summary>
    public long WindowEnd { get; }

    public IReadOnlyList<string> ItemIds => _itemIds;
    public IReadOnlyList<int> RecentCounts => _recent;
    public IReadOnlyList<int> PreviousCounts => _previous;
    public IReadOnlyList<int> TotalCounts => _total;

    /// <summary>The trend statistic of item <paramref name="index"/> (see the class summary).</summary>
    public double Trend(int index) => (_recent[index] - _previous[index]) / Math.Sqrt(_previous[index] + Options.Smoothing);

    public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.NumResults < 0) throw new ArgumentOutOfRangeException(nameof(query), "NumResults must not be negative");
        var count = Math.Min(query.NumResults, _ranked.Length);
        return ValueTask.FromResult<IReadOnlyList<ScoredItem>>(new ArraySegment<ScoredItem>(_ranked, 0, count));
    }

    private ScoredItem[] Rank()
    {
        var trends = new double[_itemIds.Length];
        for (var i = 0; i < trends.Length; i++) trends[i] = Trend(i);
        var order = Enumerable.Range(0, _itemIds.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            bool trendingA = trends[a] > 0, trendingB = trends[b] > 0;
            if (trendingA != trendingB) return trendingA ? -1 : 1;
            if (trendingA && trends[a] != trends[b]) return trends[b].CompareTo(trends[a]);
            var activeA = _recent[a] + _previous[a];
            var activeB = _recent[b] + _previous[b];
            if (activeA != activeB) return activeB.CompareTo(activeA);
            if (_total[a] != _total[b]) return _total[b].CompareTo(_total[a]);
            return string.CompareOrdinal(_itemIds[a], _itemIds[b]);
        });
        var top = order.Length > 0 && trends[order[0]] > 0 ? trends[order[0]] : 1;
        return [.. order.Select(i => new ScoredItem(_itemIds[i], trends[i] > 0 ? trends[i] / top : 0))];
    }
}
