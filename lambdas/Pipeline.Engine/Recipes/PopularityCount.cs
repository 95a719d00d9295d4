using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Recipes;

/// <summary>Trains aws-popularity-count: items ranked by how many distinct users interacted with them.</summary>
public static class PopularityCount
{
    public static PopularityCountModel Train(InteractionDataset dataset, PopularityCountOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new PopularityCountOptions();
        var onlyCode = options.EventType is null ? -1 : dataset.EventTypeCode(options.EventType);
        var countByItem = new int[dataset.ItemIds.Count];
        if (options.EventType is null || onlyCode >= 0)
        {
            // Grouping rows by user lets one "last user seen" stamp per item count distinct users in a single pass.
            var byUser = dataset.GroupByUser();
            var lastUserSeen = new int[dataset.ItemIds.Count];
            Array.Fill(lastUserSeen, -1);
            var items = dataset.ItemIndex;
            var codes = dataset.EventTypeCodes;
            for (var user = 0; user < byUser.UserCount; user++)
            {
                foreach (var row in byUser.RowsOf(user))
                {
                    if (onlyCode >= 0 && codes[row] != onlyCode) continue;
                    var item = items[row];
                    if (lastUserSeen[item] == user) continue;
                    lastUserSeen[item] = user;
                    countByItem[item]++;
                }
            }
        }

        var ranked = new List<int>(countByItem.Length);
        for (var item = 0; item < countByItem.Length; item++)
            if (countByItem[item] > 0) ranked.Add(item);
        // Ties broken by item id so that training is deterministic whatever the row order.
        ranked.Sort((a, b) => countByItem[a] != countByItem[b]
            ? countByItem[b].CompareTo(countByItem[a])
            : string.CompareOrdinal(dataset.ItemIds[a], dataset.ItemIds[b]));

        return new PopularityCountModel(
            [.. ranked.Select(i => dataset.ItemIds[i])],
            [.. ranked.Select(i => countByItem[i])],
            options);
    }
}
