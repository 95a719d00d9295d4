using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Training histories for aws-user-personalization in the order the model weighs them: each user's distinct items
/// oldest to newest by their latest event, with the weight of their strongest event type alongside. Same CSR
/// offsets as the <see cref="FeedbackMatrix"/> (one entry per distinct user-item pair).
/// </summary>
public static class RecencyHistories
{
    public static (int[] Items, float[] TypeWeights) Build(InteractionDataset dataset, FeedbackMatrix matrix, HistoryWeighting weighting)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(matrix);
        var itemMap = new int[dataset.ItemIds.Count];
        Array.Fill(itemMap, -1);
        for (var i = 0; i < matrix.ItemCount; i++) itemMap[dataset.FindItem(matrix.ItemIds[i])] = i;
        var typeWeights = new float[dataset.EventTypes.Count];
        for (var t = 0; t < typeWeights.Length; t++) typeWeights[t] = weighting.WeightOf(dataset.EventTypes[t]);

        var byUser = dataset.GroupByUser();
        var datasetItems = dataset.ItemIndex;
        var codes = dataset.EventTypeCodes;
        var items = new int[matrix.NonZeros];
        var weights = new float[matrix.NonZeros];
        // slot[item] = where the item sits in the current user's newest-first list; stamped per user to skip clearing.
        var slot = new int[matrix.ItemCount];
        var stamp = new int[matrix.ItemCount];
        for (var u = 0; u < matrix.UserCount; u++)
        {
            var start = matrix.UserOffsets[u];
            var rows = byUser.RowsOf(dataset.FindUser(matrix.UserIds[u]));
            var count = 0;
            for (var r = rows.Length - 1; r >= 0; r--)
            {
                var item = itemMap[datasetItems[rows[r]]];
                var weight = typeWeights[codes[rows[r]]];
                if (stamp[item] != u + 1)
                {
                    stamp[item] = u + 1;
                    slot[item] = count;
                    items[start + count] = item;
                    weights[start + count] = weight;
                    count++;
                }
                else if (weight > weights[start + slot[item]]) weights[start + slot[item]] = weight;
            }
            if (count != matrix.UserOffsets[u + 1] - start) throw new InvalidOperationException("histories disagree with the feedback matrix");
            items.AsSpan(start, count).Reverse();
            weights.AsSpan(start, count).Reverse();
        }
        return (items, weights);
    }
}
