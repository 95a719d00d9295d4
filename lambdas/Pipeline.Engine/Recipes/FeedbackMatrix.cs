using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Binary implicit feedback (did the user interact with the item at all) as compressed rows both ways.
/// Only users and items with at least one interaction get an index, so models never carry dead rows that
/// would, for instance, score 0 and outrank items an EASE model scores negative.
/// </summary>
public sealed class FeedbackMatrix
{
    private FeedbackMatrix(string[] userIds, string[] itemIds, int[] userOffsets, int[] userItems, int[] itemOffsets, int[] itemUsers)
    {
        UserIds = userIds;
        ItemIds = itemIds;
        UserOffsets = userOffsets;
        UserItems = userItems;
        ItemOffsets = itemOffsets;
        ItemUsers = itemUsers;
    }

    public string[] UserIds { get; }
    public string[] ItemIds { get; }

    /// <summary>CSR by user: items of user u are UserItems[UserOffsets[u]..UserOffsets[u+1]], ascending.</summary>
    public int[] UserOffsets { get; }
    public int[] UserItems { get; }

    /// <summary>CSR by item: users of item i, ascending.</summary>
    public int[] ItemOffsets { get; }
    public int[] ItemUsers { get; }

    public int UserCount => UserIds.Length;
    public int ItemCount => ItemIds.Length;
    public int NonZeros => UserItems.Length;

    public ReadOnlySpan<int> ItemsOf(int user) => UserItems.AsSpan(UserOffsets[user], UserOffsets[user + 1] - UserOffsets[user]);
    public ReadOnlySpan<int> UsersOf(int item) => ItemUsers.AsSpan(ItemOffsets[item], ItemOffsets[item + 1] - ItemOffsets[item]);

    /// <summary>Distinct users per item.</summary>
    public int Popularity(int item) => ItemOffsets[item + 1] - ItemOffsets[item];

    /// <summary>Item indices by descending popularity, ties by id so that training is deterministic.</summary>
    public int[] ItemsByPopularity()
    {
        var order = new int[ItemCount];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var ids = ItemIds;
        Array.Sort(order, (a, b) => Popularity(a) != Popularity(b) ? Popularity(b).CompareTo(Popularity(a)) : string.CompareOrdinal(ids[a], ids[b]));
        return order;
    }

    public static FeedbackMatrix From(InteractionDataset dataset, int eventTypeCode = -1)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var users = dataset.UserIndex;
        var items = dataset.ItemIndex;
        var codes = dataset.EventTypeCodes;
        var userMap = new int[dataset.UserIds.Count];
        var itemMap = new int[dataset.ItemIds.Count];
        Array.Fill(userMap, -1);
        Array.Fill(itemMap, -1);
        var userIds = new List<string>();
        var itemIds = new List<string>();
        for (var row = 0; row < users.Length; row++)
        {
            if (eventTypeCode >= 0 && codes[row] != eventTypeCode) continue;
            if (userMap[users[row]] < 0) { userMap[users[row]] = userIds.Count; userIds.Add(dataset.UserIds[users[row]]); }
            if (itemMap[items[row]] < 0) { itemMap[items[row]] = itemIds.Count; itemIds.Add(dataset.ItemIds[items[row]]); }
        }

        // Counting sort by user, then per-user sort + dedup: linear apart from the short per-user sorts.
        var offsets = new int[userIds.Count + 1];
        for (var row = 0; row < users.Length; row++)
            if (eventTypeCode < 0 || codes[row] == eventTypeCode) offsets[userMap[users[row]] + 1]++;
        for (var u = 0; u < userIds.Count; u++) offsets[u + 1] += offsets[u];
        var fill = offsets[..^1];
        var raw = new int[offsets[^1]];
        for (var row = 0; row < users.Length; row++)
            if (eventTypeCode < 0 || codes[row] == eventTypeCode) raw[fill[userMap[users[row]]]++] = itemMap[items[row]];

        var userOffsets = new int[userIds.Count + 1];
        var write = 0;
        for (var u = 0; u < userIds.Count; u++)
        {
            var segment = raw.AsSpan(offsets[u], offsets[u + 1] - offsets[u]);
            segment.Sort();
            for (var k = 0; k < segment.Length; k++)
                if (k == 0 || segment[k] != segment[k - 1]) raw[write++] = segment[k];
            userOffsets[u + 1] = write;
        }
        var userItems = raw.AsSpan(0, write).ToArray();
        var (itemOffsets, itemUsers) = Transpose(userOffsets, userItems, itemIds.Count);
        return new FeedbackMatrix([.. userIds], [.. itemIds], userOffsets, userItems, itemOffsets, itemUsers);
    }

    /// <summary>A matrix from per-user item lists given by index (tests and tools).</summary>
    public static FeedbackMatrix FromLists(string[] userIds, string[] itemIds, IReadOnlyList<int[]> itemsByUser)
    {
        var userOffsets = new int[userIds.Length + 1];
        var all = new List<int>();
        for (var u = 0; u < userIds.Length; u++)
        {
            var distinct = itemsByUser[u].Distinct().Order().ToArray();
            all.AddRange(distinct);
            userOffsets[u + 1] = all.Count;
        }
        var userItems = all.ToArray();
        var (itemOffsets, itemUsers) = Transpose(userOffsets, userItems, itemIds.Length);
        return new FeedbackMatrix(userIds, itemIds, userOffsets, userItems, itemOffsets, itemUsers);
    }

    private static (int[] Offsets, int[] Users) Transpose(int[] userOffsets, int[] userItems, int itemCount)
    {
        var offsets = new int[itemCount + 1];
        foreach (var item in userItems) offsets[item + 1]++;
        for (var i = 0; i < itemCount; i++) offsets[i + 1] += offsets[i];
        var fill = offsets[..^1];
        var usersByItem = new int[userItems.Length];
        for (var u = 0; u < userOffsets.Length - 1; u++)
            for (var k = userOffsets[u]; k < userOffsets[u + 1]; k++)
                usersByItem[fill[userItems[k]]++] = u;
        return (offsets, usersByItem);
    }
}
