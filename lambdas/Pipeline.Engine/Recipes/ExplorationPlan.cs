namespace Pipeline.Engine.Recipes;

/// <summary>The new items exploration draws from under one config: those the model can score, and cold ones it cannot.</summary>
internal sealed record ExplorationPlan(ItemExplorationConfig Config, int[] WarmItems, string[] ColdItems)
{
    public bool IsActive => Config.ExplorationWeight > 0 && (WarmItems.Length > 0 || ColdItems.Length > 0);

    public static ExplorationPlan Build(ItemExplorationConfig config, ItemCreationTimes catalog, long referenceTime, Func<string, int> findItem)
    {
        var cutoff = referenceTime - (long)(config.ExplorationItemAgeCutOffDays * 86400);
        var warm = new List<int>();
        var cold = new List<(string Id, long CreatedAt)>();
        for (var i = 0; i < catalog.ItemIds.Length; i++)
        {
            if (catalog.CreatedAt[i] < cutoff) continue;
            var index = findItem(catalog.ItemIds[i]);
            if (index >= 0) warm.Add(index);
            else cold.Add((catalog.ItemIds[i], catalog.CreatedAt[i]));
        }
        // Newest cold items first: with nothing else to rank them by, the freshest need exposure most.
        cold.Sort((a, b) => a.CreatedAt != b.CreatedAt ? b.CreatedAt.CompareTo(a.CreatedAt) : string.CompareOrdinal(a.Id, b.Id));
        return new ExplorationPlan(config, [.. warm], [.. cold.Select(c => c.Id)]);
    }
}
