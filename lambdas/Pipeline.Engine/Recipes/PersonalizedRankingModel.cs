using System.Buffers;
using Pipeline.Domain.Recommendations;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// A trained aws-personalized-ranking model: each item's nearest neighbours by co-occurrence and each training
/// user's recent items. Scores are normalised to sum to 1 over the ranked items, as Personalize's ranking scores
/// are; items unseen in training come last with no score.
/// </summary>
public sealed class PersonalizedRankingModel : IRankingModel, ITrainingHistory
{
    // A small share of an item's relative popularity joins its score, so that candidates no history item points
    // at still rank by popularity (and users without history get a popularity ranking) without outweighing
    // any real co-occurrence.
    private const double PopularityPrior = 1e-3;

    private readonly string[] _itemIds;
    private readonly int[] _popularity;
    private readonly int[] _neighborOffsets;
    private readonly int[] _neighborItems;
    private readonly float[] _neighborWeights;
    private readonly string[] _userIds;
    private readonly int[] _historyOffsets;
    private readonly int[] _historyItems;
    private readonly Dictionary<string, int> _itemLookup;
    private readonly Dictionary<string, int> _userLookup;
    private readonly double _maxPopularity;

    public PersonalizedRankingModel(
        string[] itemIds, int[] popularity, int[] neighborOffsets, int[] neighborItems, float[] neighborWeights,
        string[] userIds, int[] historyOffsets, int[] historyItems, PersonalizedRankingOptions options)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        ArgumentNullException.ThrowIfNull(popularity);
        ArgumentNullException.ThrowIfNull(neighborOffsets);
        ArgumentNullException.ThrowIfNull(neighborItems);
        ArgumentNullException.ThrowIfNull(neighborWeights);
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(historyOffsets);
        ArgumentNullException.ThrowIfNull(historyItems);
        ArgumentNullException.ThrowIfNull(options);
        if (popularity.Length != itemIds.Length) throw new ArgumentException("every item needs a popularity", nameof(popularity));
        if (neighborOffsets.Length != itemIds.Length + 1 || neighborOffsets[^1] != neighborItems.Length || neighborItems.Length != neighborWeights.Length)
            throw new ArgumentException("neighbour offsets, items and weights do not line up", nameof(neighborOffsets));
        if (historyOffsets.Length != userIds.Length + 1 || historyOffsets[^1] != historyItems.Length)
            throw new ArgumentException("history offsets and items do not line up", nameof(historyOffsets));
        foreach (var item in neighborItems)
            if ((uint)item >= (uint)itemIds.Length) throw new ArgumentException($"neighbour index {item} is not an item", nameof(neighborItems));
        foreach (var item in historyItems)
            if ((uint)item >= (uint)itemIds.Length) throw new ArgumentException($"history index {item} is not an item", nameof(historyItems));

        _itemIds = itemIds;
        _popularity = popularity;
        _neighborOffsets = neighborOffsets;
        _neighborItems = neighborItems;
        _neighborWeights = neighborWeights;
        _userIds = userIds;
        _historyOffsets = historyOffsets;
        _historyItems = historyItems;
        Options = options;
        _itemLookup = Lookup(itemIds);
        _userLookup = Lookup(userIds);
        _maxPopularity = Math.Max(1, popularity.Length == 0 ? 1 : popularity.Max());
    }

    public string Recipe => RecipeNames.PersonalizedRanking;

    public PersonalizedRankingOptions Options { get; }

    public IReadOnlyList<string> ItemIds => _itemIds;
    public IReadOnlyList<int> Popularity => _popularity;
    public IReadOnlyList<int> NeighborOffsets => _neighborOffsets;
    public IReadOnlyList<int> NeighborItems => _neighborItems;
    public IReadOnlyList<float> NeighborWeights => _neighborWeights;
    public IReadOnlyList<string> UserIds => _userIds;
    public IReadOnlyList<int> HistoryOffsets => _historyOffsets;

    /// <summary>Each user's kept items (indexes into <see cref="ItemIds"/>), newest first.</summary>
    public IReadOnlyList<int> HistoryItems => _historyItems;

    // The serializer writes the columns as they are, without copying them into lists first.
    internal ReadOnlySpan<int> PopularityColumn => _popularity;
    internal ReadOnlySpan<int> NeighborOffsetsColumn => _neighborOffsets;
    internal ReadOnlySpan<int> NeighborItemsColumn => _neighborItems;
    internal ReadOnlySpan<float> NeighborWeightsColumn => _neighborWeights;
    internal ReadOnlySpan<int> HistoryOffsetsColumn => _historyOffsets;
    internal ReadOnlySpan<int> HistoryItemsColumn => _historyItems;

    public ValueTask<IReadOnlyList<RankedItem>> RankAsync(string userId, IReadOnlyList<string> itemIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(itemIds);
        if (itemIds.Count > IRankingModel.MaxInputItems)
            throw new ArgumentException(
                $"The input list has {itemIds.Count} items; a personalized ranking takes at most {IRankingModel.MaxInputItems}.", nameof(itemIds));

        var seen = new HashSet<string>(itemIds.Count, StringComparer.Ordinal);
        var known = new List<(string ItemId, double Raw, int Order)>(itemIds.Count);
        var unknown = new List<string>();
        var scores = ArrayPool<float>.Shared.Rent(_itemIds.Length);
        try
        {
            Accumulate(userId, scores);
            foreach (var itemId in itemIds)
            {
                ArgumentNullException.ThrowIfNull(itemId, nameof(itemIds));
                if (!seen.Add(itemId)) continue;
                if (_itemLookup.TryGetValue(itemId, out var item)) known.Add((itemId, Raw(scores, item), known.Count));
                else unknown.Add(itemId);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }

        known.Sort((a, b) => a.Raw != b.Raw ? b.Raw.CompareTo(a.Raw) : a.Order.CompareTo(b.Order));
        var total = 0.0;
        foreach (var entry in known) total += entry.Raw;
        var ranked = new RankedItem[known.Count + unknown.Count];
        for (var i = 0; i < known.Count; i++) ranked[i] = new RankedItem(known[i].ItemId, known[i].Raw / total);
        for (var i = 0; i < unknown.Count; i++) ranked[known.Count + i] = new RankedItem(unknown[i], null);
        return ValueTask.FromResult<IReadOnlyList<RankedItem>>(ranked);
    }

    /// <summary>Ranks the whole catalog for the user (GetRecommendations on a ranking model): the top NumResults.</summary>
    public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.NumResults < 0) throw new ArgumentOutOfRangeException(nameof(query), "NumResults must not be negative");
        var raw = new double[_itemIds.Length];
        var scores = ArrayPool<float>.Shared.Rent(_itemIds.Length);
        try
        {
            Accumulate(query.UserId, scores);
            for (var item = 0; item < raw.Length; item++) raw[item] = Raw(scores, item);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
        var total = raw.Sum();
        var order = Enumerable.Range(0, raw.Length).ToArray();
        Array.Sort(order, (a, b) => raw[a] != raw[b] ? raw[b].CompareTo(raw[a]) : a.CompareTo(b));
        var count = Math.Min(query.NumResults, order.Length);
        var top = new ScoredItem[count];
        for (var i = 0; i < count; i++) top[i] = new ScoredItem(_itemIds[order[i]], raw[order[i]] / total);
        return ValueTask.FromResult<IReadOnlyList<ScoredItem>>(top);
    }

    /// <summary>The first of the user's kept items, which are stored newest first.</summary>
    public string? MostRecentItem(string userId) =>
        _userLookup.TryGetValue(userId, out var user) && _historyOffsets[user] < _historyOffsets[user + 1]
            ? _itemIds[_historyItems[_historyOffsets[user]]]
            : null;

    private double Raw(float[] scores, int item) => scores[item] + PopularityPrior * (_popularity[item] / _maxPopularity);

    // Fills scores[0..items) with the summed neighbour weights of the user's history items (zeros for an unknown user).
    private void Accumulate(string userId, float[] scores)
    {
        Array.Clear(scores, 0, _itemIds.Length);
        if (!_userLookup.TryGetValue(userId, out var user)) return;
        for (var h = _historyOffsets[user]; h < _historyOffsets[user + 1]; h++)
        {
            var item = _historyItems[h];
            for (var n = _neighborOffsets[item]; n < _neighborOffsets[item + 1]; n++)
                scores[_neighborItems[n]] += _neighborWeights[n];
        }
    }

    private static Dictionary<string, int> Lookup(string[] ids)
    {
        var lookup = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
            if (!lookup.TryAdd(ids[i], i)) throw new ArgumentException($"duplicate id '{ids[i]}'", nameof(ids));
        return lookup;
    }
}
