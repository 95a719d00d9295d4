using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Evaluation;

/// <summary>
/// A split given as files (<see cref="UserItemListsFile"/>): train, an optional validation file and the test file.
/// <see cref="Test"/> trains on train + valid and targets the test items; <see cref="Validation"/> (when a
/// validation file is given) trains on train alone and targets the validation items, for tuning.
/// All three share one id table, so every file's ids mean the same user or item.
/// </summary>
public sealed record FileSplit(HoldoutSplit Test, HoldoutSplit? Validation)
{
    /// <summary>Timestamps of the validation rows start here, after any line of the training file.</summary>
    private const long ValidationEpoch = 1L << 32;

    public static FileSplit Read(string trainPath, string? validPath, string testPath)
    {
        var builder = new InteractionDatasetBuilder(1 << 16);
        var trainRows = UserItemListsFile.Read(trainPath, builder);
        var validRows = validPath is null ? 0 : UserItemListsFile.Read(validPath, builder, ValidationEpoch);
        var testRows = UserItemListsFile.Read(testPath, builder);
        var all = builder.Build();
        var catalog = all.ItemIds.Count;
        var test = new HoldoutSplit(all.Subset(Range(0, trainRows + validRows)), Targets(all, trainRows + validRows, testRows), catalog);
        var validation = validPath is null
            ? null
            : new HoldoutSplit(all.Subset(Range(0, trainRows)), Targets(all, trainRows, validRows), catalog);
        return new FileSplit(test, validation);
    }

    private static int[] Range(int start, int count) => [.. Enumerable.Range(start, count)];

    /// <summary>Each user's target items from rows [start, start + count), users in first-seen order.</summary>
    private static List<HoldoutUser> Targets(InteractionDataset all, int start, int count)
    {
        var byUser = new Dictionary<int, HashSet<string>>();
        var order = new List<int>();
        var users = all.UserIndex;
        var items = all.ItemIndex;
        for (var row = start; row < start + count; row++)
        {
            if (!byUser.TryGetValue(users[row], out var set))
            {
                byUser[users[row]] = set = new HashSet<string>(StringComparer.Ordinal);
                order.Add(users[row]);
            }
            set.Add(all.ItemIds[items[row]]);
        }
        return [.. order.Select(u => new HoldoutUser(all.UserIds[u], byUser[u]))];
    }
}
