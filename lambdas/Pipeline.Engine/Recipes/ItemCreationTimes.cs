namespace Pipeline.Engine.Recipes;

/// <summary>CREATION_TIMESTAMP (epoch seconds) of catalogue items, including items nobody has interacted with yet.</summary>
public sealed record ItemCreationTimes(string[] ItemIds, long[] CreatedAt)
{
    public static ItemCreationTimes Empty { get; } = new([], []);

    public static ItemCreationTimes From(IReadOnlyList<Domain.Catalog.Item>? items)
    {
        if (items is null) return Empty;
        var dated = items.Where(i => i.CreatedAt is not null).ToArray();
        return new ItemCreationTimes([.. dated.Select(i => i.ItemId)], [.. dated.Select(i => i.CreatedAt!.Value.ToUnixTimeSeconds())]);
    }
}
