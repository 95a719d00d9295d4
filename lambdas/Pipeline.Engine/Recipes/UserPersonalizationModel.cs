using Pipeline.Domain.Events;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Numerics;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// A trained aws-user-personalization model. Scores every item for the user (EASE or ALS, see
/// <see cref="IUserScorer"/>), drops the items they already interacted with, and keeps the best by partial
/// selection; users without history get the most popular items. Real-time events (<see cref="Record"/>) replace
/// the user's history at once; a history keeps the user's <see cref="MaxHistoryLength"/> most recent items, each
/// weighted by its strongest event type and its recency (<see cref="HistoryWeighting"/>, EASE only). An ALS user's
/// factor is folded in again lazily, at their next recommendation.
/// <see cref="Exploration"/> gives a share of the slots to new items.
/// Scoring reuses per-thread buffers: <see cref="Recommend"/> allocates nothing.
/// </summary>
public sealed class UserPersonalizationModel : IRecommendationModel, IRealtimeEvents, IAcceptsCampaignConfig
{
    private const int MaxResults = 500;

    /// <summary>
    /// How many of a user's most recent distinct items real-time updates keep: bounds the state per user and the
    /// scoring cost (one SIMD row per item for EASE) whatever a client sends.
    /// </summary>
    public const int MaxHistoryLength = 500;

    [ThreadStatic] private static float[]? t_scores;
    [ThreadStatic] private static int[]? t_top;
    [ThreadStatic] private static float[]? t_topScores;
    [ThreadStatic] private static ScoredItem[]? t_picks;
    [ThreadStatic] private static float[]? t_weights;
    [ThreadStatic] private static float[]? t_categoryCounts;

    private readonly Dictionary<string, int> _itemLookup;
    private readonly Dictionary<string, int> _userLookup;
    private readonly float[] _popularityScores;
    private readonly RealtimeUsers _realtime;
    // A user's read-modify-write of their history must not interleave with another of the same user's; different users'
    // need not wait for each other, so the lock is one of a few stripes chosen by user.
    private readonly Lock[] _recordLocks;
    private const int RecordStripes = 64;
    private readonly HistoryWeighting _weighting;
    private readonly float _decay;
    private readonly bool _weighted;
    private readonly float _categoryWeight;
    private ExplorationPlan _exploration;

    public UserPersonalizationModel(
        string[] itemIds, int[] popularity, string[] userIds, int[] userOffsets, int[] userItems,
        IUserScorer scorer, UserPersonalizationOptions options, ItemCreationTimes catalog, long referenceTime,
        ItemExplorationConfig? exploration = null, float[]? userItemWeights = null, CategoryAffinity? categories = null)
        : this(itemIds, popularity, userIds, userOffsets, userItems, scorer, options, catalog, referenceTime, exploration,
            // Sized for every trained user (up to the bound), so the first events after a start do not resize it.
            new RealtimeUsers(RealtimeUsers.DefaultMaxUsers, userIds.Length),
            [.. Enumerable.Range(0, RecordStripes).Select(_ => new Lock())],
            userItemWeights, categories)
    {
    }

    private UserPersonalizationModel(
        string[] itemIds, int[] popularity, string[] userIds, int[] userOffsets, int[] userItems,
        IUserScorer scorer, UserPersonalizationOptions options, ItemCreationTimes catalog, long referenceTime,
        ItemExplorationConfig? exploration, RealtimeUsers realtime, Lock[] recordLocks, float[]? userItemWeights,
        CategoryAffinity? categories)
    {
        if (categories is not null && categories.ItemCategory.Length != itemIds.Length)
            throw new ArgumentException("categories must describe the model's items", nameof(categories));
        if (userItemWeights is not null && userItemWeights.Length != userItems.Length)
            throw new ArgumentException("user item weights must run parallel to the user items", nameof(userItemWeights));
        _realtime = realtime;
        _recordLocks = recordLocks;
        if (popularity.Length != itemIds.Length || scorer.ItemCount != itemIds.Length || userOffsets.Length != userIds.Length + 1)
            throw new ArgumentException("items, popularity, users and scorer must describe the same data");
        ItemIds = itemIds;
        Popularity = popularity;
        UserIds = userIds;
        UserOffsets = userOffsets;
        UserItems = userItems;
        UserItemWeights = userItemWeights ?? Ones(userItems.Length);
        Scorer = scorer;
        Options = options;
        Catalog = catalog;
        ReferenceTime = referenceTime;
        _itemLookup = Lookup(itemIds);
        _userLookup = Lookup(userIds);
        _weighting = options.Weighting;
        _decay = _weighting.DecayPerPosition;
        _weighted = !_weighting.IsNeutral && scorer.FactorLength == 0;
        Categories = categories;
        _categoryWeight = categories is not null && scorer.FactorLength == 0 ? (float)(options.CategoryWeight ?? 0) : 0f;
        var top = Math.Max(1, popularity.Length == 0 ? 1 : popularity.Max());
        _popularityScores = [.. popularity.Select(p => (float)p / top)];
        _exploration = ExplorationPlan.Build(exploration ?? ItemExplorationConfig.None, catalog, referenceTime, FindItem);
    }

    public string Recipe => RecipeNames.UserPersonalization;

    public string[] ItemIds { get; }
    public int[] Popularity { get; }
    public string[] UserIds { get; }
    public int[] UserOffsets { get; }
    /// <summary>Training histories, each user's oldest to newest (by the item's latest event).</summary>
    public int[] UserItems { get; }

    /// <summary>Parallel to <see cref="UserItems"/>: the weight of the strongest event type of each history item.</summary>
    public float[] UserItemWeights { get; }
    public IUserScorer Scorer { get; }

    /// <summary>The items' categories for the <c>category_weight</c> blend; null when the training items had none.</summary>
    public CategoryAffinity? Categories { get; }
    public UserPersonalizationOptions Options { get; }
    public ItemCreationTimes Catalog { get; }

    /// <summary>Epoch seconds of the latest training interaction: item ages for exploration are measured from here.</summary>
    public long ReferenceTime { get; }

    /// <summary>The campaign's itemExplorationConfig; set it when the campaign is created or updated.</summary>
    public ItemExplorationConfig Exploration
    {
        get => _exploration.Config;
        set => _exploration = ExplorationPlan.Build(value, Catalog, ReferenceTime, FindItem);
    }

    /// <summary>
    /// The same trained model serving one campaign's itemExplorationConfig. It shares the real-time history, so
    /// events recorded on either reach both.
    /// </summary>
    public IRecommendationModel WithItemExploration(IReadOnlyDictionary<string, string> itemExplorationConfig) =>
        new UserPersonalizationModel(ItemIds, Popularity, UserIds, UserOffsets, UserItems, Scorer, Options, Catalog, ReferenceTime,
            ItemExplorationConfig.From(itemExplorationConfig), _realtime, _recordLocks, UserItemWeights, Categories);

    public int FindItem(string itemId) => _itemLookup.TryGetValue(itemId, out var index) ? index : -1;

    void IRealtimeEvents.Record(InteractionEvent interaction) =>
        Record(interaction.UserId, interaction.ItemId, interaction.EventType, interaction.Timestamp);

    /// <summary>
    /// At most this many users' real-time histories are kept (<see cref="RealtimeUsers"/>): a user untouched while
    /// half as many others were is forgotten and served from training (or as a new user) until their next event.
    /// Shared with the campaign copies of <see cref="WithItemExploration"/>.
    /// </summary>
    public int MaxRealtimeUsers
    {
        get => _realtime.MaxUsers;
        set => _realtime.MaxUsers = value;
    }

    /// <summary>How many users' real-time histories are held now.</summary>
    public int RealtimeUserCount => _realtime.Count;

    void IRealtimeEvents.LimitUsers(int maxUsers) => MaxRealtimeUsers = maxUsers;

    /// <summary>Training timestamps are whole seconds: an event in the training data is at or before this.</summary>
    DateTimeOffset IRealtimeEvents.LearnedThrough => DateTimeOffset.FromUnixTimeSeconds(ReferenceTime);

    public void Record(string userId, string itemId, string eventType, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(itemId);
        // As in training: the item becomes the newest of the history, weighted by its strongest event type so far.
        lock (_recordLocks[(userId.GetHashCode() & int.MaxValue) % _recordLocks.Length])
        {
            var current = Current(userId);
            var item = FindItem(itemId);
            if (item < 0)
            {
                // Kept so exploration does not offer them again; the newest MaxHistoryLength bound the state as for known items.
                if (Array.IndexOf(current.UnknownItems, itemId) < 0)
                    _realtime.Set(userId, current with { UnknownItems = [.. current.UnknownItems.TakeLast(MaxHistoryLength - 1), itemId] });
                return;
            }
            var weight = _weighting.WeightOf(eventType);
            var existing = Array.IndexOf(current.Items, item);
            if (existing >= 0 && existing == current.Items.Length - 1 && current.TypeWeights[existing] >= weight) return;
            if (existing >= 0) weight = Math.Max(weight, current.TypeWeights[existing]);
            var others = current.Items.Length - (existing >= 0 ? 1 : 0);
            var keep = Math.Min(others, MaxHistoryLength - 1);
            var drop = others - keep;
            var items = new int[keep + 1];
            var weights = new float[keep + 1];
            var written = 0;
            // Oldest first: the moved item leaves its old place and, past the bound, the oldest items go.
            for (var k = 0; k < current.Items.Length; k++)
            {
                if (k == existing) continue;
                if (drop > 0) { drop--; continue; }
                items[written] = current.Items[k];
                weights[written++] = current.TypeWeights[k];
            }
            items[keep] = item;
            weights[keep] = weight;
            // The fold-in (a CG solve, ~100 µs) waits for the user's next recommendation: a batch of events then costs
            // one solve instead of one per event, and the events path (which answers only after the disk) does none.
            var stale = current.FactorIsStale || (Scorer.FactorLength > 0 && (existing < 0 || others > keep));
            _realtime.Set(userId, new UserHistory(items, current.UnknownItems, current.Factor, weights, stale));
        }
    }

    /// <summary>
    /// The user's factor for scoring: folds in events recorded since the last fold-in and keeps the result unless
    /// another event replaced the state meanwhile (that newer state stays stale and is folded at the next request).
    /// </summary>
    private float[]? FreshFactor(string userId, UserHistory live)
    {
        if (!live.FactorIsStale) return live.Factor;
        var factor = Scorer.FoldIn(live.Items, live.Factor ?? []);
        _realtime.TryReplace(userId, live with { Factor = factor, FactorIsStale = false }, live);
        return factor;
    }

    /// <summary>The user's history as the model sees it now (training plus real-time events).</summary>
    public UserHistory Current(string userId)
    {
        if (_realtime.TryGet(userId, out var live)) return live;
        if (_userLookup.TryGetValue(userId, out var user))
        {
            var factor = Scorer.FactorLength > 0 ? Scorer.TrainedFactor(user).ToArray() : null;
            return new UserHistory(UserItems[UserOffsets[user]..UserOffsets[user + 1]], [], factor,
                UserItemWeights[UserOffsets[user]..UserOffsets[user + 1]]);
        }
        return new UserHistory([], [], null, []);
    }

    public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.NumResults < 0) throw new ArgumentOutOfRangeException(nameof(query), "NumResults must not be negative");
        var results = new ScoredItem[Math.Min(query.NumResults, MaxResults)];
        var count = Recommend(query.UserId, results);
        return ValueTask.FromResult<IReadOnlyList<ScoredItem>>(count == results.Length ? results : results[..count]);
    }

    /// <summary>Writes the user's top recommendations (at most 500) into <paramref name="destination"/>; returns how many.</summary>
    public int Recommend(string userId, Span<ScoredItem> destination)
    {
        var wanted = Math.Min(destination.Length, MaxResults);
        var n = ItemIds.Length;
        var scores = t_scores is { } s && s.Length >= n ? s : t_scores = new float[Math.Max(n, 1)];
        var top = t_top ??= new int[MaxResults];
        var topScores = t_topScores ??= new float[MaxResults];

        ReadOnlySpan<int> history;
        ReadOnlySpan<string> unknown = [];
        var span = scores.AsSpan(0, n);
        if (_realtime.TryGet(userId, out var live))
        {
            history = live.Items;
            unknown = live.UnknownItems;
            if (history.Length > 0)
            {
                var weights = HistoryWeights(live.TypeWeights);
                Scorer.Score(history, weights, FreshFactor(userId, live), span);
                AddCategories(history, weights, span);
            }
        }
        else if (_userLookup.TryGetValue(userId, out var user))
        {
            var start = UserOffsets[user];
            var length = UserOffsets[user + 1] - start;
            history = UserItems.AsSpan(start, length);
            var weights = HistoryWeights(UserItemWeights.AsSpan(start, length));
            Scorer.Score(history, weights, Scorer.TrainedFactor(user), span);
            AddCategories(history, weights, span);
        }
        else history = [];

        if (history.Length == 0) _popularityScores.CopyTo(span);
        foreach (var item in history) span[item] = float.NegativeInfinity;

        var plan = _exploration;
        if (!plan.IsActive)
        {
            var found = TopK.Select(span, top.AsSpan(0, wanted), topScores.AsSpan(0, wanted));
            for (var r = 0; r < found; r++) destination[r] = new ScoredItem(ItemIds[top[r]], topScores[r]);
            return found;
        }
        return MergeExploration(plan, span, unknown, userId, wanted, top, topScores, destination);
    }

    private int MergeExploration(ExplorationPlan plan, Span<float> scores, ReadOnlySpan<string> unknown, string userId, int wanted,
        int[] top, float[] topScores, Span<ScoredItem> destination)
    {
        var slots = 0;
        for (var r = 0; r < wanted; r++) if (plan.Config.IsExplorationSlot(r)) slots++;
        // Exploration picks first, alternating the best-scored new item the model knows with the next cold one
        // (rotated per user so cold items spread over users); picked warm items leave the relevance pool.
        var pickBuffer = t_picks ??= new ScoredItem[MaxResults];
        var pickCount = 0;
        var coldStart = plan.ColdItems.Length == 0 ? 0 : (int)((uint)string.GetHashCode(userId, StringComparison.Ordinal) % (uint)plan.ColdItems.Length);
        var coldTaken = 0;
        var warmLeft = true;
        while (pickCount < slots && (warmLeft || coldTaken < plan.ColdItems.Length))
        {
            var takeWarm = warmLeft && (pickCount % 2 == 0 || coldTaken >= plan.ColdItems.Length);
            if (takeWarm)
            {
                var best = -1;
                foreach (var item in plan.WarmItems)
                    if (scores[item] > float.NegativeInfinity && (best < 0 || scores[item] > scores[best])) best = item;
                if (best < 0) { warmLeft = false; continue; }
                pickBuffer[pickCount++] = new ScoredItem(ItemIds[best], scores[best]);
                scores[best] = float.NegativeInfinity;
            }
            else
            {
                var id = plan.ColdItems[(coldStart + coldTaken++) % plan.ColdItems.Length];
                if (unknown.IndexOf(id) < 0) pickBuffer[pickCount++] = new ScoredItem(id, 0);
            }
        }
        var relevant = TopK.Select(scores, top.AsSpan(0, wanted), topScores.AsSpan(0, wanted));
        var written = 0;
        int nextPick = 0, nextRelevant = 0;
        while (written < wanted && (nextPick < pickCount || nextRelevant < relevant))
        {
            var explore = nextPick < pickCount && (plan.Config.IsExplorationSlot(written) || nextRelevant >= relevant);
            destination[written++] = explore
                ? pickBuffer[nextPick++]
                : new ScoredItem(ItemIds[top[nextRelevant]], topScores[nextRelevant++]);
        }
        return written;
    }

    /// <summary>The score weights of a history (empty when all are 1, which scorers take as the fast unweighted sum), in a per-thread buffer.</summary>
    private ReadOnlySpan<float> HistoryWeights(ReadOnlySpan<float> typeWeights)
    {
        if (!_weighted) return [];
        var buffer = t_weights is { } w && w.Length >= typeWeights.Length ? w : t_weights = new float[Math.Max(typeWeights.Length, 64)];
        var span = buffer.AsSpan(0, typeWeights.Length);
        HistoryWeighting.Apply(typeWeights, _decay, span);
        return span;
    }

    private void AddCategories(ReadOnlySpan<int> history, ReadOnlySpan<float> weights, Span<float> scores)
    {
        if (_categoryWeight == 0 || Categories is null) return;
        var counts = t_categoryCounts is { } c && c.Length >= Categories.CategoryCount ? c : t_categoryCounts = new float[Math.Max(Categories.CategoryCount, 64)];
        Categories.AddTo(history, weights, _categoryWeight, scores, counts);
    }

    private static float[] Ones(int length)
    {
        var ones = new float[length];
        Array.Fill(ones, 1f);
        return ones;
    }

    private static Dictionary<string, int> Lookup(string[] ids)
    {
        var lookup = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++) lookup[ids[i]] = i;
        return lookup;
    }
}
