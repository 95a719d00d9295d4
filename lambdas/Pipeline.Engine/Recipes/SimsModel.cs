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

        var byPopularity = Enumerable.Range(0, itemIds.Length)
            .OrderByDescending(i => popularity[i]).ThenBy(i => itemIds[i], StringComparer.Ordinal).ToArray();
        var top = byPopularity.Length > 0 ? Math.Max(1, popularity[byPopularity[0]]) : 1;
        _popular = [.. byPopularity.Take(options.NumNeighbours).Select(i => new ScoredItem(itemIds[i], (double)popularity[i] / top))];
        _width = Math.Min(options.NumNeighbours, Math.Max(0, itemIds.Length - 1));
        _answers = new ScoredItem[itemIds.Length * _width];
        var used = new HashSet<int>();
        for (var item = 0; item < itemIds.Length; item++)
        {
            var slot = item * _width;
            used.Clear();
            used.Add(item);
            var ids = neighbours.NeighboursOf(item);
            var scores = neighbours.ScoresOf(item);
            for (var r = 0; r < ids.Length && r < _width; r++)
            {
                used.Add(ids[r]);
                _answers[slot++] = new ScoredItem(itemIds[ids[r]], scores[r]);
            }
            for (var p = 0; slot < (item + 1) * _width && p < byPopularity.Length; p++)
                if (used.Add(byPopularity[p])) _answers[slot++] = new ScoredItem(itemIds[byPopularity[p]], 0);
        }
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
