namespace Pipeline.Engine.Datasets;

/// <summary>The file names of a dataset directory, as the generator writes them and the readers expect them.</summary>
public static class DatasetFiles
{
    public const string Interactions = "interactions.csv";
    public const string Items = "items.csv";
    public const string Users = "users.csv";
    public const string InteractionsSchema = "interactions-schema.json";
    public const string ItemsSchema = "items-schema.json";
    public const string UsersSchema = "users-schema.json";
}
