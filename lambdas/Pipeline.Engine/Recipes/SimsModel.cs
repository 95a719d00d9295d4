using Pipeline.Domain.Recommendations;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// A trained aws-sims model. Every item's answer is precomputed at load: its neighbours, then (for sparse items)
/// the most popular other items with score 0, so a lookup is a dictionary probe and a slice. Unknown items get
/// the popular list.
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
        // A stamp per item marks "already in this answer" without clearing a set for every item; items are split
        // over the cores, each with its own stamps, since filling items × width answers is most of a 100k-item load.
        var answers = _answers;
        var width = _width;
        Parallel.For(0, itemIds.Length, () => NewStamps(itemIds.Length), (item, _, usedBy) =>
        {
            var slot = item * width;
            var end = slot + width;
            usedBy[item] = item;
            var ids = neighbours.NeighboursOf(item);
            var scores = neighbours.ScoresOf(item);
            for (var r = 0; r < ids.Length && slot < end; r++)
            {
                usedBy[ids[r]] = item;
                answers[slot++] = new ScoredItem(itemIds[ids[r]], scores[r]);
            }
            for (var p = 0; slot < end && p < byPopularity.Length; p++)
            {
                if (usedBy[byPopularity[p]] == item) continue;
                usedBy[byPopularity[p]] = item;
                answers[slot++] = new ScoredItem(itemIds[byPopularity[p]], 0);
            }
            return usedBy;
        }, _ => { });
    }

    private static int[] NewStamps(int length)
    {
        var stamps = new int[length];
        Array.Fill(stamps, -1);
        return stamps;
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
            return _answers.AsSpan(item * _width, Math.Min(numResults, _width));
        return _popular.AsSpan(0, Math.Min(numResults, _popular.Length));
    }

    public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.NumResults < 0) throw new ArgumentOutOfRangeException(nameof(query), "NumResults must not be negative");
        return ValueTask.FromResult<IReadOnlyList<ScoredItem>>(Similar(query.ItemId, query.NumResults).ToArray());
    }
}
