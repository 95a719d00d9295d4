using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Trains aws-personalized-ranking as item-to-item co-occurrence: two items are neighbours in proportion to the
/// users they share, cosine-normalised (shared / sqrt(users of a * users of b)) so that popular items do not
/// neighbour everything. A user's score for a candidate is the sum of its similarities to the user's recent items.
/// </summary>
public static class PersonalizedRanking
{
    public static PersonalizedRankingModel Train(InteractionDataset dataset, PersonalizedRankingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new PersonalizedRankingOptions();

        var (userIds, historyOffsets, datasetHistory) = RecentDistinctHistories(dataset, options.MaxHistoryLength);

        // Compact item indexes: only items some kept history mentions, in the dataset's order, so ids are stable.
        var compact = new int[dataset.ItemIds.Count];
        Array.Fill(compact, -1);
        foreach (var item in datasetHistory) compact[item] = 0;
        var itemIds = new List<string>();
        for (var item = 0; item < compact.Length; item++)
            if (compact[item] == 0) { compact[item] = itemIds.Count; itemIds.Add(dataset.ItemIds[item]); }
        var history = new int[datasetHistory.Length];
        for (var i = 0; i < history.Length; i++) history[i] = compact[datasetHistory[i]];

        var (itemUserOffsets, itemUsers) = Transpose(historyOffsets, history, itemIds.Count);
        var popularity = new int[itemIds.Count];
        for (var item = 0; item < popularity.Length; item++) popularity[item] = itemUserOffsets[item + 1] - itemUserOffsets[item];

        var (neighborOffsets, neighborItems, neighborWeights) = Neighbours(
            historyOffsets, history, itemUserOffsets, itemUsers, popularity, options, cancellationToken);

        return new PersonalizedRankingModel(
            [.. itemIds], popularity, neighborOffsets, neighborItems, neighborWeights,
            userIds, historyOffsets, history, options);
    }

    // Each user's distinct items, newest first, at most maxLength of them; users without rows are left out.
    private static (string[] UserIds, int[] Offsets, int[] Items) RecentDistinctHistories(InteractionDataset dataset, int maxLength)
    {
        var byUser = dataset.GroupByUser();
        var items = dataset.ItemIndex;
        var lastUserSeen = new int[dataset.ItemIds.Count];
        Array.Fill(lastUserSeen, -1);
        var userIds = new List<string>();
        var offsets = new List<int> { 0 };
        var kept = new List<int>(Math.Min(dataset.Count, 1 << 20));
        for (var user = 0; user < byUser.UserCount; user++)
        {
            var rows = byUser.RowsOf(user);
            if (rows.IsEmpty) continue;
            var taken = 0;
            for (var i = rows.Length - 1; i >= 0 && taken < maxLength; i--)
            {
                var item = items[rows[i]];
                if (lastUserSeen[item] == user) continue;
                lastUserSeen[item] = user;
                kept.Add(item);
                taken++;
            }
            userIds.Add(dataset.UserIds[user]);
            offsets.Add(kept.Count);
        }
        return ([.. userIds], [.. offsets], [.. kept]);
    }

    private static (int[] Offsets, int[] Users) Transpose(int[] historyOffsets, int[] history, int itemCount)
    {
        var offsets = new int[itemCount + 1];
        foreach (var item in history) offsets[item + 1]++;
        for (var item = 0; item < itemCount; item++) offsets[item + 1] += offsets[item];
        var fill = offsets[..^1];
        var users = new int[history.Length];
        for (var user = 0; user + 1 < historyOffsets.Length; user++)
            for (var i = historyOffsets[user]; i < historyOffsets[user + 1]; i++)
                users[fill[history[i]]++] = user;
        return (offsets, users);
    }

    private static (int[] Offsets, int[] Items, float[] Weights) Neighbours(
        int[] historyOffsets, int[] history, int[] itemUserOffsets, int[] itemUsers, int[] popularity,
        PersonalizedRankingOptions options, CancellationToken cancellationToken)
    {
        var itemCount = popularity.Length;
        var perItem = new (int Item, float Weight)[itemCount][];
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        // Items are independent once the histories exist, so both cores count co-occurrences; each worker keeps
        // one dense counter and a list of the entries it touched, so resetting costs only what was used.
        Parallel.For(0, itemCount, parallel,
            () => (Counts: new int[itemCount], Touched: new List<int>()),
            (item, _, scratch) =>
            {
                var (counts, touched) = scratch;
                for (var u = itemUserOffsets[item]; u < itemUserOffsets[item + 1]; u++)
                {
                    var user = itemUsers[u];
                    for (var h = historyOffsets[user]; h < historyOffsets[user + 1]; h++)
                    {
                        var other = history[h];
                        if (other != item && counts[other]++ == 0) touched.Add(other);
                    }
                }
                var candidates = new List<(int Item, float Weight)>(touched.Count);
                foreach (var other in touched)
                {
                    if (counts[other] >= options.MinCointeractionCount)
                        candidates.Add((other, (float)(counts[other] / Math.Sqrt((double)popularity[item] * popularity[other]))));
                    counts[other] = 0;
                }
                touched.Clear();
                candidates.Sort((a, b) => a.Weight != b.Weight ? b.Weight.CompareTo(a.Weight) : a.Item.CompareTo(b.Item));
                if (candidates.Count > options.ItemNeighbors) candidates.RemoveRange(options.ItemNeighbors, candidates.Count - options.ItemNeighbors);
                perItem[item] = [.. candidates];
                return scratch;
            },
            _ => { });

        var offsets = new int[itemCount + 1];
        for (var item = 0; item < itemCount; item++) offsets[item + 1] = offsets[item] + perItem[item].Length;
        var items = new int[offsets[^1]];
        var weights = new float[offsets[^1]];
        for (var item = 0; item < itemCount; item++)
        {
            var start = offsets[item];
            for (var k = 0; k < perItem[item].Length; k++)
            {
                items[start + k] = perItem[item][k].Item;
                weights[start + k] = perItem[item][k].Weight;
            }
        }
        return (offsets, items, weights);
    }
}
