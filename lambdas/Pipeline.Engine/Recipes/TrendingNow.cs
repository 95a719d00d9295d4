using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Trains aws-trending-now: per item, interactions in the latest interval of <c>trend_discovery_frequency</c>
/// (ending at the dataset's newest timestamp, never the wall clock, so training is reproducible) against the
/// interval before it.
/// </summary>
public static class TrendingNow
{
    public static TrendingNowModel Train(InteractionDataset dataset, TrendingNowOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new TrendingNowOptions();
        var timestamps = dataset.Timestamps;
        var items = dataset.ItemIndex;
        var windowEnd = long.MinValue;
        foreach (var timestamp in timestamps) windowEnd = Math.Max(windowEnd, timestamp);
        if (dataset.Count == 0) windowEnd = 0;

        var length = (long)options.TrendDiscoveryFrequency.TotalSeconds;
        var recentStart = windowEnd - length;
        var previousStart = windowEnd - 2 * length;
        var recent = new int[dataset.ItemIds.Count];
        var previous = new int[dataset.ItemIds.Count];
        var total = new int[dataset.ItemIds.Count];
        for (var row = 0; row < dataset.Count; row++)
        {
            var item = items[row];
            total[item]++;
            var timestamp = timestamps[row];
            // Half-open intervals (start, end]: the newest event is always in the latest interval.
            if (timestamp > recentStart) recent[item]++;
            else if (timestamp > previousStart) previous[item]++;
        }

        var kept = new List<int>();
        for (var item = 0; item < total.Length; item++)
            if (total[item] > 0) kept.Add(item);
        return new TrendingNowModel(
            [.. kept.Select(i => dataset.ItemIds[i])],
            [.. kept.Select(i => recent[i])],
            [.. kept.Select(i => previous[i])],
            [.. kept.Select(i => total[i])],
            windowEnd,
            options);
    }
}
