namespace Pipeline.Engine.Datasets;

/// <summary>Row numbers of a dataset grouped by user, each user's oldest first (a counting sort, then a per-user sort only where needed).</summary>
public sealed class UserInteractionIndex
{
    private readonly int[] _offsets;
    private readonly int[] _rows;

    private UserInteractionIndex(int[] offsets, int[] rows)
    {
        _offsets = offsets;
        _rows = rows;
    }

    public int UserCount => _offsets.Length - 1;

    public ReadOnlySpan<int> RowsOf(int user) => _rows.AsSpan(_offsets[user], _offsets[user + 1] - _offsets[user]);

    internal static UserInteractionIndex Build(InteractionDataset dataset)
    {
        var users = dataset.UserIndex;
        var timestamps = dataset.Timestamps.ToArray();
        var offsets = new int[dataset.UserIds.Count + 1];
        foreach (var u in users) offsets[u + 1]++;
        for (var u = 0; u < dataset.UserIds.Count; u++) offsets[u + 1] += offsets[u];
        var fill = offsets[..^1];
        var rows = new int[users.Length];
        for (var row = 0; row < users.Length; row++) rows[fill[users[row]]++] = row;

        for (var u = 0; u < dataset.UserIds.Count; u++)
        {
            var segment = rows.AsSpan(offsets[u], offsets[u + 1] - offsets[u]);
            if (!IsChronological(segment, timestamps))
                segment.Sort((a, b) => timestamps[a] != timestamps[b] ? timestamps[a].CompareTo(timestamps[b]) : a.CompareTo(b));
        }
        return new UserInteractionIndex(offsets, rows);
    }

    // Logs are usually written in time order per user already; checking first saves the sort.
    private static bool IsChronological(ReadOnlySpan<int> rows, long[] timestamps)
    {
        for (var i = 1; i < rows.Length; i++)
            if (timestamps[rows[i]] < timestamps[rows[i - 1]]) return false;
        return true;
    }
}
