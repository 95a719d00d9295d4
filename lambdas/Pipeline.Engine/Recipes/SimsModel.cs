using Pipeline.Domain.Recommendations;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// A trained aws-sims model. Every item's answer (its neighbours, then for sparse items the most popular other
/// items with score 0) is computed once, on its first lookup, so a lookup is a dictionary probe and a slice.
/// Unknown items get the popular list.
/// </summary>
public sealed class SimsModel : IRecommendationModel
{
    private readonly Dictionary<string, int> _itemLookup;
    private readonly ScoredItem[] _answers;
    private readonly int _width;
    private readonly ScoredItem[] _popular;

    public SimsModel(string[] itemIds, int[] popularity, ItemNeighbours neighbours, SimsOptions options)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        if (popularity.Length != itemIds.Length || neighbours.ItemCount != itemIds.Length)
            throw new ArgumentException("items, popularity and neighbours must describe the same catalogue");
        ItemIds = itemIds;
        Popularity = popularity;
        Neighbours = neighbours;
        Options = options;
        _itemLookup = new Dictionary<string, int>(itemIds.Length, StringComparer.Ordinal);
        for (var i = 0; i < itemIds.Length; i++) _itemLookup[itemIds[i]] = i;

        var byPopularity = new int[itemIds.Length];
        for (var i = 0; i < byPopularity.Length; i++) byPopularity[i] = i;
        Array.Sort(byPopularity, (a, b) => popularity[a] != popularity[b] ? popularity[b].CompareTo(popularity[a]) : string.CompareOrdinal(itemIds[a], itemIds[b]));
        var top = byPopularity.Length > 0 ? Math.Max(1, popularity[byPopularity[0]]) : 1;
        _popular = new ScoredItem[Math.Min(options.NumNeighbours, byPopularity.Length)];
        for (var r = 0; r < _popular.Length; r++) _popular[r] = new ScoredItem(itemIds[byPopularity[r]], (double)popularity[byPopularity[r]] / top);
        _width = Math.Min(options.NumNeighbours, Math.Max(0, itemIds.Length - 1));
        _answers = new ScoredItem[(long)itemIds.Length * _width];
        _filled = new byte[itemIds.Length];
        _byPopularity = byPopularity;
    }

    // Each item's answer is written on its first lookup rather than at load: filling items × width answers up front
    // made a 100k-item artifact load in over a second. The first lookup of an item pays a few microseconds, and
    // two threads racing on it write the same values, so readers never see a half answer once the flag is set.
    private readonly byte[] _filled;
    private readonly int[] _byPopularity;
    [ThreadStatic] private static int[]? t_stamps;
    [ThreadStatic] private static int t_stamp;

    private void Fill(int item)
    {
        var n = ItemIds.Length;
        if (t_stamps is null || t_stamps.Length < n)
        {
            t_stamps = new int[n];
            t_stamp = 0;
        }
        // A fresh stamp per fill marks "already in this answer" without clearing a set for every item.
        var stamps = t_stamps;
        var stamp = ++t_stamp;
        var slot = item * _width;
        var end = slot + _width;
        stamps[item] = stamp;
        var ids = Neighbours.NeighboursOf(item);
        var scores = Neighbours.ScoresOf(item);
        for (var r = 0; r < ids.Length && slot < end; r++)
        {
            stamps[ids[r]] = stamp;
            _answers[slot++] = new ScoredItem(ItemIds[ids[r]], scores[r]);
        }
        for (var p = 0; slot < end && p < _byPopularity.Length; p++)
        {
            var other = _byPopularity[p];
            if (stamps[other] == stamp) continue;
            stamps[other] = stamp;
            _answers[slot++] = new ScoredItem(ItemIds[other], 0);
        }
        Volatile.Write(ref _filled[item], 1);
    }

    public string Recipe => RecipeNames.Sims;

    public SimsOptions Options { get; }
    public string[] ItemIds { get; }
    public int[] Popularity { get; }
    public ItemNeighbours Neighbours { get; }

    /// <summary>The items most similar to <paramref name="itemId"/>, best first; popular items when it is unknown. No allocation.</summary>
    public ReadOnlySpan<ScoredItem> Similar(string? itemId, int numResults)
    {
        if (itemId is not null && _itemLookup.TryGetValue(itemId, out var item))
        {
            if (Volatile.Read(ref _filled[item]) == 0) Fill(item);
            return _answers.AsSpan(item * _width, Math.Min(numResults, _width));
        }
        return _popular.AsSpan(0, Math.Min(numResults, _popular.Length));
    }

    public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.NumResults < 0) throw new ArgumentOutOfRangeException(nameof(query), "NumResults must not be negative");
        return ValueTask.FromResult<IReadOnlyList<ScoredItem>>(Similar(query.ItemId, query.NumResults).ToArray());
    }
}
