namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>The dataset types the local service imports, with the fields Personalize requires in each schema.</summary>
public static class DatasetTypes
{
    public const string Interactions = "INTERACTIONS";
    public const string Items = "ITEMS";
    public const string Users = "USERS";

    public static IReadOnlyDictionary<string, string[]> RequiredFields { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [Interactions] = ["USER_ID", "ITEM_ID", "TIMESTAMP"],
        [Items] = ["ITEM_ID"],
        [Users] = ["USER_ID"],
    };

    /// <summary>Personalize takes the type in any case (<c>Interactions</c>, <c>INTERACTIONS</c>).</summary>
    public static string Normalize(string datasetType) => datasetType.ToUpperInvariant();
}
